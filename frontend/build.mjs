// Bundles editor.js into ../drill/static/vendor/editor.bundle.js (one file, no npm at run time) and writes
// beside it editor.bundle.LICENSE.txt: the licence of every package that went into the bundle.
// Run through `make editor-bundle` (npm ci, then this).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { build } from "esbuild";

const out = "../drill/static/vendor/editor.bundle.js";
const packageOf = (path) => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match && match[1];
};

// First pass: which packages the bundle takes, for the header and the licence file.
const probe = await build({ entryPoints: ["editor.js"], bundle: true, write: false, metafile: true });
const names = [...new Set(Object.keys(probe.metafile.inputs).map(packageOf).filter(Boolean))].sort();
const packages = names.map((name) => {
  const meta = JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map((f) => `node_modules/${name}/${f}`).find(existsSync);
  return { name, version: meta.version, license: meta.license, text: file ? readFileSync(file, "utf8").trim() : "" };
});

const banner =
  "/*! drill editor bundle: built by `make editor-bundle` from frontend/ (do not edit by hand).\n" +
  packages.map((p) => ` * ${p.name} ${p.version} (${p.license})`).join("\n") +
  "\n * Licence texts: editor.bundle.LICENSE.txt beside this file. */";

await build({
  entryPoints: ["editor.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "eof",
  banner: { js: banner },
  outfile: out,
});

writeFileSync(
  "../drill/static/vendor/editor.bundle.LICENSE.txt",
  "Third-party software in editor.bundle.js\n\n" +
    packages.map((p) => `== ${p.name} ${p.version} (${p.license}) ==\n\n${p.text}\n`).join("\n"),
);
console.log(`${out}: ${packages.length} packages: ${names.join(", ")}`);
