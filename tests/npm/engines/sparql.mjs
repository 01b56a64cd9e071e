// Run a batch of SPARQL queries on Comunica (an engine of another family than Oxigraph and rdflib).
//
// stdin: {"data": "meakg.nq", "queries": [{"id": "...", "text": "...", "bindings": {"name": TERM}}]}
// where TERM is {"termType": "NamedNode" | "Literal", "value": "...", "datatype": "...", "language": "..."}.
// The N-Quads file is read into one default graph (every named graph merged, as meakg's store unions them).
// Bindings are Comunica's initialBindings: substituted into the query before it runs (as pyoxigraph's
// substitutions do). stdout: one JSON array, per query {"id", "boolean"} (ASK), {"id", "variables",
// "rows"} (SELECT; each term in N-Triples syntax, null where unbound) or {"id", "triples"} (CONSTRUCT:
// [subject, predicate, object] in the same syntax), or {"id", "error"}; each with "ms", the time it took.
import { readFileSync, createReadStream } from 'node:fs'
import { QueryEngine } from '@comunica/query-sparql-rdfjs'
import { BindingsFactory } from '@comunica/utils-bindings-factory'
import { DataFactory, Store, StreamParser } from 'n3'

const { namedNode, literal, defaultGraph, quad, variable } = DataFactory

function readQuads (path) {
  const store = new Store()
  return new Promise((resolve, reject) => {
    createReadStream(path).pipe(new StreamParser({ format: 'N-Quads' }))
      .on('data', (q) => store.addQuad(quad(q.subject, q.predicate, q.object, defaultGraph())))
      .on('error', reject)
      .on('end', () => resolve(store))
  })
}

function toTerm (term) {
  if (term.termType === 'NamedNode') return namedNode(term.value)
  if (term.language) return literal(term.value, term.language)
  return literal(term.value, term.datatype ? namedNode(term.datatype) : undefined)
}

// N-Triples syntax, so Python reads every engine's terms the same way
function show (term) {
  if (!term) return null
  if (term.termType === 'NamedNode') return `<${term.value}>`
  if (term.termType === 'BlankNode') return `_:${term.value}`
  const text = JSON.stringify(term.value)
  if (term.language) return `${text}@${term.language}`
  return `${text}^^<${term.datatype.value}>`
}

async function run (engine, store, bindingsFactory, { id, text, bindings }) {
  const context = { sources: [store] }
  const entries = Object.entries(bindings || {})
  if (entries.length) {
    context.initialBindings = bindingsFactory.bindings(entries.map(([name, term]) => [variable(name), toTerm(term)]))
  }
  const result = await engine.query(text, context)
  if (result.resultType === 'boolean') return { id, boolean: await result.execute() }
  if (result.resultType === 'quads') {
    const quads = await (await result.execute()).toArray()
    return { id, triples: quads.map((q) => [show(q.subject), show(q.predicate), show(q.object)]) }
  }
  const variables = (await result.metadata()).variables.map((v) => (v.variable || v).value)
  const rows = (await (await result.execute()).toArray()).map((b) => variables.map((v) => show(b.get(v))))
  return { id, variables, rows }
}

const batch = JSON.parse(readFileSync(0, 'utf8'))
const store = await readQuads(batch.data)
const engine = new QueryEngine()
const bindingsFactory = new BindingsFactory(DataFactory)
const answers = []
for (const query of batch.queries) {
  try {
    const start = performance.now()
    answers.push({ ...await run(engine, store, bindingsFactory, query), ms: Math.round(performance.now() - start) })
  } catch (err) {
    answers.push({ id: query.id, error: String(err.message || err).split('\n')[0] })
  }
}
process.stdout.write(JSON.stringify(answers))
