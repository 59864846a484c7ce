// The dashboard's entry: the theme before the first paint, then the app.
import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";
import { applyTheme, themeChoice } from "./theme.js";

applyTheme(themeChoice());
const root = document.getElementById("app")!;
root.textContent = ""; // the "Loading" line the page shows until the script runs
render(<App />, root);
