#!/usr/bin/env node
// The `parley` command. TypeScript sources are loaded through tsx, so a fresh clone runs without a build.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
