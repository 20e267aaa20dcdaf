import { program } from "./program.ts";

// The `parley` command's entry point (bin/parley.mjs loads it).

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`parley: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
