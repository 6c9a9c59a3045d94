// Parse GIFT files with gift-pegjs and print, per file, the questions or the parse error (JSON).
// Usage: node gift_parse.js FILE...
const fs = require("fs");
const gift = require("gift-pegjs");
const out = {};
for (const file of process.argv.slice(2)) {
  try {
    out[file] = { questions: gift.parse(fs.readFileSync(file, "utf8")) };
  } catch (e) {
    out[file] = { error: `${e.message} (line ${e.location ? e.location.start.line : "?"})` };
  }
}
process.stdout.write(JSON.stringify(out));
