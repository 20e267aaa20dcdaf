#!/usr/bin/env node
// Copies the non-TypeScript files the compiled program needs (SQL migrations) next to the output.
import { cpSync } from "node:fs";

cpSync("src/db/migrations", "dist/src/db/migrations", { recursive: true });
