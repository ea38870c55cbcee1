// Runs the grammar suite with the server layer: test/grammar is not in the mocha spec list yet, and
// mocha loads a module once, so listing both folders later will not run it twice.
import '../grammar/grammar.test';
