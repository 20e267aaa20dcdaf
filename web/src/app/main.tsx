import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "../lib/queries.ts";
import { App } from "./app.tsx";
import "../styles.css";

// Entry point and composition root: the one query client of the page is made here. Served under a
// strict CSP (script-src 'self', style-src 'self'): no inline script, no inline style attributes;
// every message and name is rendered as text by React, never as HTML.

const root = document.getElementById("root");
if (root) {
  const queryClient = createQueryClient();
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
