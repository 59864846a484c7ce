// Types for what vite lets the dashboard import: its CSS files.
/// <reference types="vite/client" />
