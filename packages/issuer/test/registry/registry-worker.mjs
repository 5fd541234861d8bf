// A child process for the multi-process registry tests on either backend. It imports the BUILT
// issuer package and works on the registry at <location> (a SQLite path or a postgres:// URL).
//
//   node registry-worker.mjs <dist index.js URL> <location> <worker> <mode> <count> [<chunk>]
//
// mode "allocate": <count> allocations, <chunk> per transaction (allocateStatuses; 1 uses
//   allocateStatus), every other credential with suspension; prints one JSON line
//   { worker, startedAt, endedAt, allocations: [[credentialId, listNumber, index], …] }.
// mode "change": reads credential ids from stdin (one JSON array), and for each "revoke <id>" /
//   "suspend <id>" in it applies the change; prints { worker, changed: [[action, id, status]] }.
const [distUrl, location, worker, mode, countText, chunkText] = process.argv.slice(2)
const { openRegistry } = await import(distUrl)
const registry = await openRegistry({ url: location })
const startedAt = Date.now()
if (mode === 'allocate') {
  const count = Number(countText)
  const chunk = Number(chunkText ?? '1')
  const allocations = []
  for (let i = 0; i < count; i += chunk) {
    const options = []
    for (let j = i; j < Math.min(count, i + chunk); j++) {
      options.push({
        credentialId: `urn:worker:${worker}:${j}`,
        program: 'AIDA',
        recipient: { name: `Learner ${worker}-${j}` },
        suspension: j % 2 === 0,
      })
    }
    const slots =
      chunk === 1
        ? [await registry.allocateStatus(options[0])]
        : await registry.allocateStatuses(options)
    slots.forEach((slot, k) =>
      allocations.push([options[k].credentialId, slot.listNumber, slot.index]),
    )
  }
  const endedAt = Date.now()
  await registry.close()
  process.stdout.write(JSON.stringify({ worker, startedAt, endedAt, allocations }) + '\n')
} else if (mode === 'change') {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const changed = []
  for (const [action, id] of JSON.parse(input)) {
    const result = await registry[action](id, `${action} by ${worker}`)
    changed.push([action, id, result.status])
  }
  await registry.close()
  process.stdout.write(JSON.stringify({ worker, startedAt, endedAt: Date.now(), changed }) + '\n')
} else {
  throw new Error(`unknown mode ${mode}`)
}
