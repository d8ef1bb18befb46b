// esdk.js - the official AWS Encryption SDK for JavaScript (@aws-crypto/client-node)
// as a small command line, for the interoperability tests of mao-envelope.
//
//   node esdk.js encrypt|decrypt KEYFILE NAMESPACE NAME [--frame N] [--suite HEX]
//                [--context k=v ...] < in > out
//
// encrypt uses the SDK's defaults (suite 0x0578, signed, unless --suite);
// decrypt accepts every suite (REQUIRE_ENCRYPT_ALLOW_DECRYPT) and, with
// --context, checks that the message carries those pairs.
'use strict'
const fs = require('fs')
const {
  buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier
} = require('@aws-crypto/client-node')

const [cmd, keyFile, ns, name, ...rest] = process.argv.slice(2)
const opts = { context: {} }
for (let i = 0; i < rest.length; i += 2) {
  const v = rest[i + 1]
  if (rest[i] === '--frame') opts.frame = Number(v)
  else if (rest[i] === '--suite') opts.suite = parseInt(v, 16)
  else if (rest[i] === '--context') { const j = v.indexOf('='); opts.context[v.slice(0, j)] = v.slice(j + 1) }
  else { console.error('unknown option ' + rest[i]); process.exit(2) }
}
// the SDK wants the key in a buffer of its own, not a slice of Node's pool
const key = new Uint8Array(fs.readFileSync(keyFile))
const wrappingSuite = key.length === 32 ? RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
  : key.length === 24 ? RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING
    : RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING
const keyring = new RawAesKeyringNode({ keyName: name, keyNamespace: ns, unencryptedMasterKey: key, wrappingSuite })
const input = fs.readFileSync(0)

async function main () {
  if (cmd === 'encrypt') {
    // non-committing suites can only be written under the FORBID_ENCRYPT policy
    const committing = opts.suite === undefined || opts.suite === 0x0478 || opts.suite === 0x0578
    const { encrypt } = buildClient(committing ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
      : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    const o = { encryptionContext: opts.context }
    if (opts.frame) o.frameLength = opts.frame
    if (opts.suite !== undefined) o.suiteId = opts.suite
    const { result } = await encrypt(keyring, input, o)
    fs.writeSync(1, result)
  } else if (cmd === 'decrypt') {
    const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
    const { plaintext, messageHeader } = await decrypt(keyring, input)
    for (const [k, v] of Object.entries(opts.context)) {
      if (messageHeader.encryptionContext[k] !== v) throw new Error('context ' + k + ' differs')
    }
    fs.writeSync(1, plaintext)
    console.error('suite 0x' + messageHeader.suiteId.toString(16).padStart(4, '0') +
      ' frame ' + messageHeader.frameLength)
  } else {
    console.error('usage: esdk.js encrypt|decrypt KEYFILE NAMESPACE NAME [options]')
    process.exit(2)
  }
}
main().catch(e => { console.error('esdk.js: ' + (e && e.message)); process.exit(1) })
