// A child process for the multi-process registry tests. It imports the BUILT issuer package
// and allocates on a shared SQLite file.
//
//   node allocate-worker.mjs <dist index.js file URL> <registry path> <worker name> <count> <mode>
//
// mode "batch": allocate <count>, then print one JSON line
//   { worker, startedAt, endedAt, allocations: [[credentialId, listNumber, index], …] }
// mode "stream": print "<credentialId> <listNumber> <index>" after each allocation has committed
//   (the parent kills the process at some point).
const [distUrl, path, worker, countText, mode] = process.argv.slice(2)
const { openSqliteRegistry } = await import(distUrl)
const count = Number(countText)

const registry = await openSqliteRegistry(path)
const allocations = []
const startedAt = Date.now()
for (let i = 0; i < count; i++) {
  const credentialId = `urn:worker:${worker}:${i}`
  const { listNumber, index } = await registry.allocateStatus({
    credentialId,
    program: 'AIDA',
    recipient: { name: `Learner ${worker}-${i}` },
    suspension: i % 2 === 0,
  })
  if (mode === 'stream') process.stdout.write(`${credentialId} ${listNumber} ${index}\n`)
  else allocations.push([credentialId, listNumber, index])
}
const endedAt = Date.now()
await registry.close()
if (mode !== 'stream') {
  process.stdout.write(JSON.stringify({ worker, startedAt, endedAt, allocations }) + '\n')
}
