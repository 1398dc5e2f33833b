// Renders a Kibana Vega spec headless, the way Kibana's Vega visualisation reads it.
//
// stdin: {"spec": "<spec text as saved in visState.params.spec>",
//         "values": {"<data name>": <Elasticsearch response for that data's url>},
//         "width": 640, "height": 420}
// stdout: {"svg": "<svg…>", "items": {"<mark type>": <number of items drawn>}, "warnings": […]}
// Exit code 1 with the reason on stderr when the spec does not parse or does not render.
//
// Kibana parses the text with hjson (legacyRoot: false), takes its own settings out of
// config.kibana, replaces every Elasticsearch "url" by the search response, and for a map
// (config.kibana.type "map") injects the signals latitude, longitude, zoom and a Mercator
// projection named "projection" that follows the base map.
'use strict';

const hjson = require('hjson');
const vega = require('vega');

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function kibanaSpec(text, values, width, height) {
  const spec = hjson.parse(text, { legacyRoot: false });
  const kibana = (spec.config && spec.config.kibana) || {};
  if (spec.config) delete spec.config.kibana;
  for (const data of spec.data || []) {
    const isEsQuery = data.url && typeof data.url === 'object' && !data.url['%type%'];
    if (!isEsQuery) continue;
    if (!(data.name in values)) throw new Error(`no search response given for data "${data.name}"`);
    delete data.url;
    data.values = values[data.name];
  }
  spec.width = width;
  spec.height = height;
  spec.autosize = 'none';
  if (kibana.type === 'map') {
    spec.signals = [
      { name: 'latitude', value: kibana.latitude ?? 0 },
      { name: 'longitude', value: kibana.longitude ?? 0 },
      { name: 'zoom', value: kibana.zoom ?? 2 },
      ...(spec.signals || []),
    ];
    spec.projections = [
      {
        name: 'projection',
        type: 'mercator',
        scale: { signal: '256*pow(2, zoom)/2/PI' },
        rotate: [{ signal: '-longitude' }, 0, 0],
        center: [0, { signal: 'latitude' }],
        translate: [{ signal: 'width/2' }, { signal: 'height/2' }],
      },
      ...(spec.projections || []),
    ];
  }
  return spec;
}

function countItems(scene, counts) {
  if (!scene) return counts;
  if (scene.marktype && Array.isArray(scene.items)) {
    if (scene.marktype !== 'group') counts[scene.marktype] = (counts[scene.marktype] || 0) + scene.items.length;
    for (const item of scene.items) countItems(item, counts);
  } else if (Array.isArray(scene.items)) {
    for (const item of scene.items) countItems(item, counts);
  }
  return counts;
}

async function main() {
  const input = JSON.parse(await readStdin());
  const spec = kibanaSpec(input.spec, input.values || {}, input.width || 640, input.height || 420);
  const warnings = [];
  const logger = vega.logger(vega.Warn);
  logger.warn = (...args) => { warnings.push(args.join(' ')); return logger; };
  logger.error = (...args) => { throw new Error(args.join(' ')); };
  const view = new vega.View(vega.parse(spec), { renderer: 'none', logger });
  await view.runAsync();
  const svg = await view.toSVG();
  const items = countItems(view.scenegraph().root, {});
  process.stdout.write(JSON.stringify({ svg, items, warnings }));
}

main().catch((err) => {
  process.stderr.write(`${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
