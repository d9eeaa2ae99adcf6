/**
 * `gan-lens`: the headless command line. Usage errors (unknown flags, bad values) exit with 2
 * and print the usage; failures of the work itself exit with 1.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runTrainCommand } from './train';
import { COMPARE_PRESETS, runCompareCommand, runMergeCommand } from './compare';
import { defaultJobs, parseSeeds } from '../session/compareRuns';
import { runCheckCommand } from './check';
import { runDivergenceCommand } from './divergence';
import { rewriteBenchReport, runBenchCommand } from './bench';
import { describeThrown } from '../errors';
import { presetNames } from '../definition/presets';
import { BACKEND_PREFERENCES, ENGINE_PREFERENCES } from '../protocol';
import { PLANE_RESOLUTION, type PlaneResolutionName } from '../core/planeResolution';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function seedList(value: string): number[] {
  try {
    return parseSeeds(value);
  } catch (e) {
    throw new InvalidArgumentError(describeThrown(e));
  }
}

/** A 2-D resolution flag: an integer inside the range the setting of the same name has. */
function resolution(name: PlaneResolutionName): (value: string) => number {
  const { min, max } = PLANE_RESOLUTION[name];
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

const backendOption = () => new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKEND_PREFERENCES).default('auto');
const engineOption = () => new Option('--engine <name>', 'training engine: fused (WebAssembly) where the definition fits, else tfjs').choices(ENGINE_PREFERENCES).default('auto');

export function createProgram(): Command {
  const program = new Command('gan-lens')
    .description('Train small GANs and compare what the critic estimates with the exact divergence.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('train')
    .description('train a loss definition file (or a preset) headless and print the final divergence table')
    .argument('[file]', 'a *.gan.ts / *.gan.js loss definition file, or a preset name')
    .option('--preset <name>', `a built-in definition: ${presetNames().join(', ')}`)
    .option('--steps <n>', 'training steps (generator updates)', positiveInteger, 3000)
    .option('--seed <n>', 'override the definition\'s seed', nonNegativeInteger)
    .option('--every <n>', 'record a snapshot every n steps (default: 10 a second, at whatever steps those fall on)', positiveInteger)
    .option('--out <dir>', 'write metrics.csv and summary.json into this folder')
    .option('--json', 'print the summary as one JSON object on stdout (progress on stderr)')
    .option('--lattice-side <n>', `2-D: cells per side of the lattice (default ${PLANE_RESOLUTION.latticeSide.default})`, resolution('latticeSide'))
    .option('--latent-side <m>', `2-D: q from an m × m latent quantile lattice (default ${PLANE_RESOLUTION.latentSide.default})`, resolution('latentSide'))
    .addOption(backendOption())
    .addOption(engineOption())
    .action(async (file: string | undefined, opts) => {
      process.exitCode = await runTrainCommand({ file, ...opts });
    });

  program
    .command('compare')
    .description('train several definitions × several seeds (each cell the same run as gan-lens train --seed s) and compare them: mean ± sd over seeds')
    .argument('[definitions...]', 'loss definition files or preset names')
    .option('--seeds <list>', 'seeds: a list (1,2,3), a count (5 = seeds 1 to 5) or a range (4..9)', seedList, [1, 2, 3])
    .option('--steps <n>', 'training steps per run', positiveInteger, 3000)
    .option('--jobs <k>', `runs at once, each in its own worker thread (default: ${defaultJobs()}, the cores here)`, positiveInteger, defaultJobs())
    .option('--out <dir>', 'write <dir>/<definition>/seed-<s>/ (metrics.csv, summary.json) and <dir>/compare.csv')
    .option('--json', 'print { runs: [{ definition, seeds: [...], summary: { … mean, sd } }] } on stdout')
    .addOption(new Option('--preset <name>', 'a built-in comparison: fgan-fits fits a Gaussian model by every f-divergence and prints each one\'s exact optimum').choices(COMPARE_PRESETS))
    .option('--merge <dirs...>', 'train nothing: combine the --out folders of earlier compare runs (a sweep run as separate jobs) into one table')
    .option('--lattice-side <n>', '2-D: cells per side of the lattice', resolution('latticeSide'))
    .option('--latent-side <m>', '2-D: q from an m × m latent quantile lattice', resolution('latentSide'))
    .addOption(backendOption())
    .addOption(engineOption())
    .action(async (definitions: string[], opts) => {
      if (opts.merge) {
        process.exitCode = runMergeCommand(opts.merge as string[], opts);
        return;
      }
      if (definitions.length === 0 && !opts.preset) throw new InvalidArgumentError('give at least one definition file or preset, --preset fgan-fits, or --merge DIR...');
      process.exitCode = await runCompareCommand({ definitions, ...opts });
    });

  program
    .command('check')
    .description('load, validate and dry-run a loss definition file without training')
    .argument('<file>', 'a *.gan.ts / *.gan.js loss definition file')
    .addOption(backendOption())
    .action(async (file: string, opts) => {
      process.exitCode = await runCheckCommand({ file, ...opts });
    });

  program
    .command('divergence')
    .description('every divergence of the catalog between two mixtures: Gaussian and uniform parts in 1-D, Gaussians in 2-D')
    .requiredOption('--data <json>', 'P as JSON: [{"weight":0.5,"mean":-2,"std":0.5}, {"weight":0.5,"lo":1,"hi":2}, …] or in 2-D [{"weight":1,"mean":[0,0],"std":[1,0.5]}, {"mean":[2,1],"cov":[[1,0.3],[0.3,0.5]]}]')
    .requiredOption('--model <json>', 'Q as JSON, same form and dimension')
    .option('--json', 'print one JSON object, "inf" for infinite values')
    .action((opts: { data: string; model: string; json?: boolean }) => {
      process.exitCode = runDivergenceCommand({ data: opts.data, model: opts.model, json: opts.json ?? false }, (line: string) => console.log(line), (line: string) => console.error(line));
    });

  program
    .command('bench')
    .description('measure training speed, frame cost, reload latency and memory; write bench/results.json and docs/benchmarks.md')
    .option('--quick', 'few steps and repetitions (a smoke test; the figures are not meaningful)')
    .option('--report-only', 'measure nothing: write docs/benchmarks.md again from bench/results.json')
    .action(async (opts: { quick?: boolean; reportOnly?: boolean }) => {
      process.exitCode = opts.reportOnly ? rewriteBenchReport() : await runBenchCommand({ quick: opts.quick ?? false });
    });

  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful outcomes; everything else is a usage error.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    console.error(`gan-lens: ${describeThrown(e)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
