import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "../styles.css";

// Entry point. Served under a strict CSP (script-src 'self', style-src 'self'): no inline script,
// no inline style attributes; every message and name is rendered as text by React, never as HTML.

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
