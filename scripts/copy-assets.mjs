#!/usr/bin/env node
// Copies the non-TypeScript files the compiled program needs (SQL migrations, the password
// blocklist) next to the output.
import { cpSync } from "node:fs";

cpSync("src/db/migrations", "dist/src/db/migrations", { recursive: true });
cpSync("src/identity/data", "dist/src/identity/data", { recursive: true });
