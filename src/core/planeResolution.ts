/**
 * The two resolutions of a 2-D snapshot, each a setting (ganLens.latticeSide, ganLens.latentSide,
 * CLI --lattice-side, --latent-side) with one range: the limits keep a snapshot within memory and
 * time (a 512² latent lattice is 262,144 generator evaluations; 512² cells hold 2 MB per array),
 * and below the minimums the lattice cannot resolve a std-0.2 mode at all.
 */
import { DEFAULT_LATTICE_SIDE } from './lattice';
import { DEFAULT_LATENT_SIDE } from './pushForward2d';

export const PLANE_RESOLUTION = {
  latticeSide: { min: 32, max: 512, default: DEFAULT_LATTICE_SIDE },
  latentSide: { min: 16, max: 512, default: DEFAULT_LATENT_SIDE },
} as const;

export type PlaneResolutionName = keyof typeof PLANE_RESOLUTION;

/** The setting as used: an integer inside its range, or the default when absent or not a number. */
export function clampResolution(name: PlaneResolutionName, value: unknown): number {
  const r = PLANE_RESOLUTION[name];
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(r.max, Math.max(r.min, Math.round(value))) : r.default;
}
