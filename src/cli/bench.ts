/** `gan-lens bench`: not built yet (see the speed issue); says so instead of pretending. */
export async function runBenchCommand(_opts: { quick: boolean }): Promise<number> {
  console.error('gan-lens bench: the benchmark suite is not implemented yet');
  return 1;
}
