/**
 * Thrown by fit() when a loss or gradient becomes NaN or infinite. The model keeps the last
 * parameters whose loss and gradient were finite; `history` holds everything up to the failure.
 */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly what: 'loss' | 'gradient',
    readonly value: number,
    readonly history: unknown,
  ) {
    super(
      `training diverged at epoch ${epoch}, batch ${batch}: the ${what} is ${value}. The model holds the last parameters ` +
        `with a finite loss and gradient. Lower the learning rate, clip gradients (clipGradNorm), or standardize the inputs.`,
    );
  }
}
