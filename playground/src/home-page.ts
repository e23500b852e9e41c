/** The home page: links to the four pages, and the backend this browser runs. */
import { setState, startPage } from './common.js';

await startPage('index.html');
setState('done');
