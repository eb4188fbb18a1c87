// Stands in for @noble/curves and @noble/hashes in the built `lab` file (scripts/build-cli.mjs).
// The command computes with node:crypto (nodeCrypto.ts, installed before the engine's modules
// load), so the portable backend's code is left out of the file rather than parsed and set up
// at every start. Reaching it means that order was broken: say so instead of computing wrongly.
function leftOut(): never {
  throw new Error('lab: the JavaScript crypto backend is not in the built file; src/cli/nodeCrypto.ts must be imported first');
}

export const ed25519 = { getPublicKey: leftOut, sign: leftOut, verify: leftOut };
export const sha256 = leftOut;
