/**
 * Thrown by fit() when a loss or gradient becomes NaN or infinite. The model keeps the last
 * parameters whose loss and gradient were finite, and (for the library's optimizers) the optimizer
 * its state from that step — moments and step counts — so training can continue from a clean
 * state, e.g. with a lower learning rate. `history` holds everything up to the failure.
 * @example
 * try { fit(model, X, y, { optimizer: { name: 'sgd', lr: 1e6 } }); }
 * catch (e) { if (e instanceof DivergenceError) console.log(e.epoch, e.batch, e.what); }
 */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly what: 'loss' | 'gradient',
    readonly value: number,
    readonly history: unknown,
    /** True when the optimizer's state was rolled back with the parameters. */
    readonly stateRolledBack = true,
  ) {
    super(
      `training diverged at epoch ${epoch}, batch ${batch}: the ${what} is ${value}. The model holds the last parameters ` +
        `with a finite loss and gradient${stateRolledBack ? ', and the optimizer its state from that step' : ' (this optimizer has no state(p), so its state was not rolled back)'}. ` +
        'Lower the learning rate, clip gradients (clipGradNorm), or standardize the inputs.',
    );
  }
}
