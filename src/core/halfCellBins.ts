/**
 * Mass binned on the half-cells of a grid (two per cell, split at the grid point: the kernel
 * density estimate bins its samples on this finer lattice), summed into cell masses; mass
 * outside the grid is kept with its first moment, which is W₁'s share beyond the grid.
 */
import type { GeneratorDensity } from './generatorDensity';
import type { Grid } from './grid';
import { logAddExp } from './special';

export type CellMasses = Pick<GeneratorDensity, 'mass' | 'logMass' | 'density' | 'outsideMass' | 'logMassBelow' | 'logMassAbove' | 'cdfIntegralBelow' | 'survivalIntegralAbove'>;

/** Accumulates masses on the half-cells of a grid, and mass (with its first moment) outside it. */
export class HalfCellBins {
  /** Half-cell width (units of x). */
  readonly h: number;
  /** Left edge of the first half-cell: grid.lo − dx/2. */
  readonly e0: number;
  readonly count: number;
  readonly linear: Float64Array;
  /** log-mass added in log space (tails), combined with `linear` at the end. */
  readonly log: Float64Array;
  below = 0;
  above = 0;
  /** Outside mass added in log space (Gaussian tails), so that e^{−800} stays e^{−800}. */
  belowLog = -Infinity;
  aboveLog = -Infinity;
  /** E[(e0 − X)⁺] and E[(X − e_end)⁺]. */
  belowMoment = 0;
  aboveMoment = 0;

  constructor(readonly grid: Grid) {
    this.h = grid.dx / 2;
    this.e0 = grid.lo - grid.dx / 2;
    this.count = 2 * grid.x.length;
    this.linear = new Float64Array(this.count);
    this.log = new Float64Array(this.count).fill(-Infinity);
  }

  get end(): number {
    return this.e0 + this.count * this.h;
  }

  /** Half-cell of x: −1 below the grid, `count` above it. */
  slot(x: number): number {
    const k = Math.floor((x - this.e0) / this.h);
    return k < 0 ? -1 : k >= this.count ? this.count : k;
  }

  edge(k: number): number {
    return this.e0 + k * this.h;
  }

  /** Adds mass at the slot of x (the mass's position within its slot is x, for outside moments). */
  add(slot: number, mass: number, x: number): void {
    if (slot < 0) {
      this.below += mass;
      this.belowMoment += mass * (this.e0 - x);
    } else if (slot >= this.count) {
      this.above += mass;
      this.aboveMoment += mass * (x - this.end);
    } else this.linear[slot] += mass;
  }

  /** Adds a log-mass outside the grid (side −1 below, +1 above) with its first moment beyond the edge. */
  addOutside(side: -1 | 1, logMass: number, moment: number): void {
    if (side < 0) {
      this.belowLog = logAddExp(this.belowLog, logMass);
      this.belowMoment += moment;
    } else {
      this.aboveLog = logAddExp(this.aboveLog, logMass);
      this.aboveMoment += moment;
    }
  }

  /** Cell masses and what lies outside the cells. */
  finish(): CellMasses {
    const n = this.grid.x.length;
    const mass = new Float64Array(n);
    const logMass = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = logAddExp(Math.log(this.linear[2 * i]), this.log[2 * i]);
      const b = logAddExp(Math.log(this.linear[2 * i + 1]), this.log[2 * i + 1]);
      logMass[i] = logAddExp(a, b);
      mass[i] = Math.exp(logMass[i]);
    }
    const logMassBelow = logAddExp(Math.log(this.below), this.belowLog);
    const logMassAbove = logAddExp(Math.log(this.above), this.aboveLog);
    return {
      mass,
      logMass,
      density: mass.map((m) => m / this.grid.dx),
      outsideMass: Math.exp(logMassBelow) + Math.exp(logMassAbove),
      logMassBelow,
      logMassAbove,
      // E[(e0 − X)⁺] = ∫_{−∞}^{e0} F, and E[(X − e_end)⁺] = ∫_{e_end}^{∞} (1 − F).
      cdfIntegralBelow: this.belowMoment,
      survivalIntegralAbove: this.aboveMoment,
    };
  }
}
