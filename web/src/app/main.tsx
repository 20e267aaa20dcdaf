import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "../lib/queries.ts";
import { createAppRouter } from "./router.tsx";
import "../styles.css";

// Entry point and composition root: the one query client and the one router of the page are made here. Served under a
// strict CSP (script-src 'self', style-src 'self'): no inline script, no inline style attributes;
// every message and name is rendered as text by React, never as HTML.

const root = document.getElementById("root");
if (root) {
  const queryClient = createQueryClient();
  const router = createAppRouter();
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
