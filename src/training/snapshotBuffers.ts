import type { Snapshot } from '../protocol';

/** Every array buffer of a snapshot, to transfer rather than copy when it is posted. */
export function snapshotBuffers(s: Snapshot): ArrayBuffer[] {
  const plane = s.plane;
  const arrays = [s.x, s.p, s.q, s.critic, s.optimalCritic,
    ...(s.forces ? [s.forces.x, s.forces.critic, s.forces.exact] : []),
    ...(plane ? [plane.p, plane.q, plane.critic, plane.optimalCritic, plane.samples, plane.realSamples, plane.forces, plane.exactForces, plane.contribution,
      ...(plane.modes ? [plane.modes.massNear, plane.modes.weights, plane.modes.means] : [])] : [])];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
