/**
 * What a snapshot's view of p, q and the critic computes, in the data's dimension: the 1-D
 * grid (./lineInspector) or the 2-D lattice (./planeInspector). The scalars around it are
 * assembled once, in ./inspector.
 */
import type { DivergenceValues } from '../core/divergences';
import type { AlignmentMetrics, GeneratorMap, LineForces, PlaneSnapshot } from '../protocol';

export interface ViewFrame {
  /** The divergence the critic estimates, from p and q. */
  readonly analytic: number;
  /** The critic's estimate by quadrature. */
  readonly estimate: number;
  readonly effective: number;
  readonly divergences: DivergenceValues;
  readonly qEstimator: string;
  readonly generatorMean: number;
  readonly generatorStd: number;
  readonly x: Float32Array;
  readonly p: Float32Array;
  readonly q: Float32Array;
  readonly critic: Float32Array;
  readonly optimalCritic: Float32Array;
  readonly alignment: AlignmentMetrics;
  readonly forces?: LineForces;
  readonly generatorMap?: GeneratorMap;
  readonly plane?: PlaneSnapshot;
}

export interface InspectorView {
  frame(): ViewFrame;
}
