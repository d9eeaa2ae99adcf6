/** Public API of the divergence core: pure float64 math, no tfjs, no vscode, no DOM. */
export * from './rng';
export * from './special';
export * from './targets';
export { targetBreakpoints, targetTails } from './targetShape';
export { tailsDiverge, type GaussianTail, type Side, type TailBehaviour, type Tails } from './tails';
export * from './grid';
export * from './generatorDensity';
export * from './divergences';
export * from './analytic';
export * from './critic';
export * from './objectives';
export { measureFrameCost, type FrameCost } from './bench-frame';
