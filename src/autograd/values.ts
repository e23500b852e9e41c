/**
 * The values the autodiff engine works with. `ATensor` (a `Tensor`) is every float result of an op:
 * eager (an arena block freed by a FinalizationRegistry or dispose()) or an intermediate of a plan
 * (a block the plan owns, readable while its step runs). `IndexTensor` holds int32 class or row
 * indices. `Ext` binds a tensor made outside the plan (a Param, a batch tensor) to the plan's nodes:
 * nodes read its pointer at kernel-call time, so a replay can bind another tensor of the same shape.
 */
import { Param, Tensor, type TensorStorage } from '../tensor.js';
import type { Device } from './device.js';
import type { Node, Plan } from './engine.js';

export type DType = 'f32' | 'i32';

/** What op implementations read: a pointer (current), a shape, an element count and a dtype. */
export interface Val {
  readonly ptr: number;
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
}

/** A float result of an op (eager, or an intermediate of a plan while its step runs). */
export class ATensor extends Tensor implements Val {
  readonly dtype = 'f32' as const;
  /** The node that computes it, in `plan` (null for eager results). */
  node: Node | null = null;
  plan: Plan | null = null;

  /** The block's address when it is fixed (a plan's own block), else -1 (views, eager tensors). */
  private readonly fixed: number;

  constructor(readonly device: Device, shape: readonly number[], size: number, storage: TensorStorage, what: string) {
    super(size, what, shape, storage);
    this.fixed = storage instanceof PlanStorage ? storage.ptr : -1;
  }

  /** Byte address of the values (a plan's intermediates take a fast path while their step runs). */
  override get ptr(): number {
    const p = this.plan;
    if (this.fixed >= 0 && p !== null && !p.closed) return this.fixed;
    return super.ptr;
  }

  override get data(): Float32Array {
    if (this.plan !== null && this.plan.closed) throw new Error(endedMessage('tensor'));
    return super.data;
  }
}

/** Class or row indices (int32 storage): targets of cross_entropy, indices of embedding. */
export class IndexTensor implements Val {
  readonly dtype = 'i32' as const;
  readonly size: number;
  node: Node | null = null;
  plan: Plan | null = null;

  constructor(readonly device: Device, readonly shape: readonly number[], private readonly storage: IntStorage) {
    this.size = storage.length;
  }

  get disposed(): boolean {
    return this.storage.freed;
  }

  get ptr(): number {
    if (this.storage.freed) throw new Error('descent: this index tensor was disposed; create a new one');
    return this.storage.ptr;
  }

  /** Zero-copy view of the indices (rebuilt after memory growth). */
  get data(): Int32Array {
    if (this.plan !== null && this.plan.closed) throw new Error(endedMessage('index tensor'));
    const i = this.ptr >>> 2;
    return this.device.i32().subarray(i, i + this.size);
  }

  /** A copy of the indices. */
  toArray(): Int32Array {
    return this.data.slice();
  }

  /** Frees the memory (eager index tensors; a plan's are released by their step). Idempotent. */
  dispose(): void {
    this.storage.free();
  }
}

export function endedMessage(what: string): string {
  return `descent: this ${what} was an intermediate of a valueAndGrad step that has returned; intermediates live only ` +
    'while their step runs. Return what you need from the step, or copy it with toArray() inside it.';
}

/** A block of int32 in a device. */
export interface IntStorage {
  readonly ptr: number;
  readonly length: number;
  readonly freed: boolean;
  free(): void;
}

/** A tensor made outside a plan, bound to it; nodes read `obj`'s pointer when they run. */
export class Ext implements Val {
  /** The call in which `obj` was last bound (see Plan.epoch). */
  epoch: number;
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
  readonly isParam: boolean;

  constructor(public obj: Tensor | IndexTensor, epoch: number, readonly requiresGrad: boolean) {
    this.epoch = epoch;
    this.shape = obj.shape;
    this.size = obj.size;
    this.dtype = obj instanceof IndexTensor ? 'i32' : 'f32';
    this.isParam = obj instanceof Param;
  }

  get ptr(): number {
    return this.obj.ptr;
  }

  /** Whether `v` may take this binding's place in a replay: same kind, dtype and shape. */
  accepts(v: Tensor | IndexTensor): boolean {
    if ((v instanceof Param) !== this.isParam) return false;
    if ((v instanceof IndexTensor ? 'i32' : 'f32') !== this.dtype) return false;
    return sameShape(v.shape, this.shape);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A block owned by a plan: freed with the plan, unreadable once its step returned. */
export class PlanStorage implements TensorStorage {
  private cache: Float32Array | null = null;
  private cacheOf: Float32Array | Float64Array | null = null;

  constructor(private readonly plan: Plan, readonly ptr: number, readonly length: number) {}

  get freed(): boolean {
    return this.plan.closed || this.plan.disposed;
  }

  get view(): Float32Array {
    const all = this.plan.device.f32();
    if (all !== this.cacheOf || this.cache === null) {
      const i = this.ptr >>> 2;
      this.cache = all.subarray(i, i + this.length) as unknown as Float32Array;
      this.cacheOf = all;
    }
    return this.cache;
  }

  /** The plan frees its blocks; disposing one intermediate does nothing. */
  free(): void {}
}

/** The values of another tensor under a new shape (reshape): same block, same lifetime. */
export class ViewStorage implements TensorStorage {
  constructor(private readonly base: Val & { readonly disposed?: boolean }, private readonly device: Device, readonly length: number) {}

  get ptr(): number {
    return this.base.ptr;
  }

  get freed(): boolean {
    const b = this.base as { disposed?: boolean; obj?: { disposed: boolean } };
    if (b.obj !== undefined) return b.obj.disposed;
    return b.disposed === true;
  }

  get view(): Float32Array {
    const i = this.ptr >>> 2;
    return this.device.f32().subarray(i, i + this.length) as unknown as Float32Array;
  }

  /** A view frees nothing: its base owns the block. */
  free(): void {}
}
