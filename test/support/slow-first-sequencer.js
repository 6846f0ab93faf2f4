// Jest runs the test files on two workers; a long file that starts last makes a long tail with one worker idle.
// Jest orders files by their last durations when its cache has them, and by size when it does not (a fresh clone, as
// in CI), which puts the slowest file here (the fleet-repository trial, a short file) near the end. Files that declare
// `@slow` in their first doc comment therefore start first, in Jest's own order among themselves.
// (JavaScript: Jest loads a sequencer without transforming it.)
const fs = require('fs');
const Sequencer = require('@jest/test-sequencer').default;

/** Whether the file's first doc comment says `@slow`. */
function declaresSlow(file) {
  const first = /\/\*\*[\s\S]*?\*\//.exec(fs.readFileSync(file, 'utf8'));
  return first !== null && /@slow\b/.test(first[0]);
}

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const slow = ordered.filter((test) => declaresSlow(test.path));
    return [...slow, ...ordered.filter((test) => !slow.includes(test))];
  }
}

module.exports = SlowFirstSequencer;
