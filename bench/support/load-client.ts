import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadCommand, LoadResult } from "./load-generator.ts";

export type LoadClient = {
  run(command: LoadCommand): Promise<LoadResult>;
  close(): void;
};

type Reply = { ok: true; result: LoadResult } | { ok: false; error: string };

/** Starts the load generator in its own process; one command runs at a time. */
export function startLoadGenerator(): LoadClient {
  const child = fork(fileURLToPath(new URL("./load-generator.ts", import.meta.url)), [], { execArgv: ["--import", "tsx", "--expose-gc"], stdio: "inherit" });
  return {
    run(command) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
        child.once("exit", onExit);
        child.once("message", (reply: Reply) => {
          child.off("exit", onExit);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(reply.error));
        });
        child.send(command);
      });
    },
    close() {
      child.kill();
    },
  };
}
