// Validate the build with shacl-engine (a SHACL engine of another family than pySHACL; SPARQL on Comunica).
//
// stdin: {"shapes": "shapes.ttl", "data": [{"id": "...", "path": "graph.nq"}, ...]}: the shapes are read
// once, and each N-Triples or N-Quads file is validated on its own, read into one default graph
// (every named graph merged: the ontology and the closure included, as meakg validates them).
// stdout: {id: [result, ...]}, each result {"focus", "shape", "component", "severity", "path", "messages"}:
// terms in N-Triples syntax, "shape" the named shape the result comes from (a property shape's or a
// nested shape's owner), "path" the property path as SPARQL writes it; or {id: {"error": "..."}}.
import { readFileSync, createReadStream } from 'node:fs'
import DataFactory from '@rdfjs/data-model/Factory.js'
import datasetFactory from '@rdfjs/dataset'
import { Parser, StreamParser } from 'n3'
import { Validator } from 'shacl-engine'
import { targetResolvers, validations } from 'shacl-engine/sparql.js'

// the RDF/JS data factory shacl-engine builds its report with, and datasets
class Factory extends DataFactory {
  dataset (quads) { return datasetFactory.dataset(quads) }
}
const factory = new Factory()
const rdf = factory

function readData (path) {
  const dataset = datasetFactory.dataset()
  return new Promise((resolve, reject) => {
    createReadStream(path).pipe(new StreamParser({ format: 'N-Quads' }))  // N-Triples are N-Quads too
      .on('data', (q) => dataset.add(rdf.quad(q.subject, q.predicate, q.object, rdf.defaultGraph())))
      .on('error', reject)
      .on('end', () => resolve(dataset))
  })
}

function show (term) {
  if (!term) return null
  if (term.termType === 'NamedNode') return `<${term.value}>`
  if (term.termType === 'BlankNode') return '_:'
  const text = JSON.stringify(term.value)
  if (term.language) return `${text}@${term.language}`
  return `${text}^^<${term.datatype.value}>`
}

// the named shape a result comes from: blank shapes (property shapes, members of sh:or lists) belong to
// the shape whose triples lead to them
function owner (shapes, term) {
  const seen = new Set()
  while (term.termType === 'BlankNode' && !seen.has(term.value)) {
    seen.add(term.value)
    const [quad] = shapes.match(null, null, term)
    if (!quad) break
    term = quad.subject
  }
  return show(term)
}

function pathOf (path) {
  if (!path) return null
  const quantifier = { oneOrMore: '+', zeroOrMore: '*', zeroOrOne: '?' }
  return path.map((step) => {
    const names = step.predicates.map(show).join('|')
    const inverse = step.start === 'object' ? '^' : ''
    const alternatives = step.predicates.length > 1 ? `(${names})` : names
    return inverse + alternatives + (quantifier[step.quantifier] || '')
  }).join('/')
}

const { data, shapes } = JSON.parse(readFileSync(0, 'utf8'))
const shapesDataset = datasetFactory.dataset(new Parser({ format: 'Turtle' }).parse(readFileSync(shapes, 'utf8')))
const validator = new Validator(shapesDataset, { factory, validations, targetResolvers })
const answers = {}
for (const { id, path } of data) {
  try {
    const report = await validator.validate({ dataset: await readData(path) })
    answers[id] = report.results.map((result) => ({
      focus: show(result.focusNode.term),
      shape: owner(shapesDataset, result.shape.ptr.term),
      component: result.constraintComponent.value,
      severity: result.severity.value,
      path: pathOf(result.path),
      messages: result.message.map((m) => m.value)
    }))
  } catch (err) {
    answers[id] = { error: String(err.message || err).split('\n')[0] }
  }
}
process.stdout.write(JSON.stringify(answers))
