// kms.js - the official AWS Encryption SDK for JavaScript with a KMS keyring
// pointed at a KMS endpoint (moto_server in the tests), for the KMS
// interoperability test of mao-envelope.
//
//   ENDPOINT=http://127.0.0.1:PORT node kms.js encrypt|decrypt KEY_ARN [k=v ...] < in > out
//
// Credentials and region come from the environment (AWS_ACCESS_KEY_ID, ...).
'use strict'
const fs = require('fs')
const { buildClient, CommitmentPolicy, KmsKeyringNode, getClient } = require('@aws-crypto/client-node')
const { KMS } = require('@aws-sdk/client-kms')

const [cmd, arn, ...pairs] = process.argv.slice(2)
const context = {}
for (const p of pairs) { const j = p.indexOf('='); context[p.slice(0, j)] = p.slice(j + 1) }
const clientProvider = getClient(KMS, { endpoint: process.env.ENDPOINT })
const keyring = cmd === 'encrypt'
  ? new KmsKeyringNode({ generatorKeyId: arn, clientProvider })
  : new KmsKeyringNode({ keyIds: [arn], clientProvider })
const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
const input = fs.readFileSync(0)

async function main () {
  if (cmd === 'encrypt') {
    const { result } = await encrypt(keyring, input, { encryptionContext: context, frameLength: 4096 })
    fs.writeSync(1, result)
  } else {
    const { plaintext, messageHeader } = await decrypt(keyring, input)
    for (const [k, v] of Object.entries(context)) {
      if (messageHeader.encryptionContext[k] !== v) throw new Error('context ' + k + ' differs')
    }
    fs.writeSync(1, plaintext)
  }
}
main().catch(e => { console.error('kms.js: ' + (e && e.message)); process.exit(1) })
