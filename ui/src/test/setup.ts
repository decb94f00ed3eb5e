import "@testing-library/jest-dom/vitest";
import { configure } from "@testing-library/svelte";

// findBy*/waitFor wait for what the UI shows, never for a fixed time; give them room on a busy machine.
configure({ asyncUtilTimeout: 5000 });
