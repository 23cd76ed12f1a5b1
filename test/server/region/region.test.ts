import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { HubError } from '../../../protocols/errors.ts';
import { loadRegion, parseRegion, templatePlaceholders } from '../../../server/region/region.ts';

const builtInPath = new URL('../../../server/region/central-asia.json', import.meta.url);

/** A fresh copy of the built-in region file as JSON, to change one thing in. */
function builtInJson(): Record<string, unknown> & { routing: Record<string, unknown> } {
  return JSON.parse(readFileSync(builtInPath, 'utf8')) as Record<string, unknown> & {
    routing: Record<string, unknown>;
  };
}

function refusal(json: unknown): HubError {
  try {
    parseRegion(json, 'test.json');
  } catch (err) {
    if (err instanceof HubError) return err;
    throw err;
  }
  throw new Error('the region file was accepted');
}

function problemsOf(err: HubError): string[] {
  return (err.details as { problems: string[] }).problems;
}

describe('server/region', () => {
  describe('the built-in Central Asia region', () => {
    const region = loadRegion();

    it('keeps the hub, the six partners and their organisations', () => {
      expect(region.hubId).to.equal('hub');
      expect(region.partners).to.deep.equal(['KZ', 'KG', 'UZ', 'TJ', 'TM', 'CN']);
      expect(region.organisations.map((o) => o.id)).to.deep.equal([
        'hub',
        'kz-mes',
        'kg-mes',
        'uz-mes',
        'tj-coes',
        'tm-mes',
        'cn-mem',
      ]);
      expect(region.neighbours).to.include.members(['AF', 'RU']);
    });

    it('names a CAP sender for the alerts the hub issues', () => {
      expect(region.hubSender).to.equal('ewx-hub.central-asia');
    });

    it('describes every shared river of the issue as upstream reaches', () => {
      const routing = region.routing;
      expect(routing).to.not.equal(null);
      const flows = new Map(
        routing?.rivers.map((r) => [
          r.id,
          `${r.country}>${r.downstream.map((w) => w.country).join(',')}`,
        ]),
      );
      expect(flows.get('ili-upper')).to.equal('CN>KZ');
      expect(flows.get('irtysh-black')).to.equal('CN>KZ');
      expect(flows.get('naryn-lower')).to.equal('KG>UZ,TJ,KZ');
      expect(flows.get('vakhsh')).to.equal('TJ>UZ,TM');
      expect(flows.get('chu-upper')).to.equal('KG>KZ');
      expect(flows.get('talas')).to.equal('KG>KZ');
      expect(flows.get('sary-jaz')).to.equal('KG>CN');
      expect(flows.get('zeravshan-upper')).to.equal('TJ>UZ');
    });

    it('lists the dammed lakes whose outburst crosses a border, with their countries', () => {
      const lakes = new Map(region.routing?.lakes.map((l) => [l.id, l]));
      expect(lakes.get('sarez')?.downstream.map((w) => w.country)).to.include.members(['UZ', 'TM']);
      expect(lakes.get('sarez')?.position).to.include({ lat: 38.20167, lon: 72.7575 });
      expect(lakes.get('merzbacher')?.downstream.map((w) => w.country)).to.deep.equal(['CN']);
      expect(lakes.get('petrov')?.downstream.map((w) => w.country)).to.include('UZ');
    });

    it('uses the Bindi et al. (2011) coefficients of the reference, with their source', () => {
      const attenuation = region.routing?.earthquake?.attenuation;
      expect(attenuation?.freeDepth).to.deep.equal({
        a1: 0.898,
        a2: 1.215,
        a3: 1.809,
        a4: 0.003447,
        sigma: 0.737,
      });
      expect(attenuation?.fixedDepth).to.deep.include({ a1: 1.049, a2: 0.686, hKm: 15 });
      expect(attenuation?.source).to.match(/gem\/oq-engine.*bindi_2011_ipe\.py/);
    });

    it('has every hub template in en, ru and kk, and the headline in zh', () => {
      const templates = region.routing?.hubAlert.templates;
      for (const name of Object.keys(
        templatePlaceholders,
      ) as (keyof typeof templatePlaceholders)[]) {
        expect(templates?.[name], name).to.include.keys('en', 'ru', 'kk');
      }
      expect(templates?.headline).to.include.keys('zh');
    });

    it('says where every window comes from', () => {
      const windows = [
        ...(region.routing?.rivers ?? []).flatMap((r) => r.downstream),
        ...(region.routing?.lakes ?? []).flatMap((l) => l.downstream),
      ];
      expect(windows.length).to.be.greaterThan(20);
      for (const w of windows) expect(w.source !== undefined || w.estimate === true).to.equal(true);
    });
  });

  describe('parseRegion', () => {
    it('refuses bad region files with every problem listed by path', () => {
      const json = builtInJson();
      const routing = json.routing as {
        rivers: Record<string, unknown>[];
        lakes: Record<string, unknown>[];
        hubAlert: { templates: Record<string, Record<string, string>> };
      };
      const ili = routing.rivers[0] as Record<string, unknown> & {
        downstream: Record<string, unknown>[];
      };
      delete ili.source;
      (ili.downstream[0] as Record<string, unknown>).minHours = 99;
      (routing.rivers[1] as { area: { coordinates: unknown } }).area.coordinates = [
        [
          [85, 47],
          [86, 47],
          [85, 47],
        ],
      ];
      const err = refusal(json);
      expect(err.code).to.equal('CONFIG_INVALID');
      const problems = problemsOf(err);
      expect(problems).to.include('routing.rivers.0: needs a "source" or "estimate": true');
      expect(problems).to.include('routing.rivers.0.downstream.0: minHours is more than maxHours');
      expect(problems.some((p) => p.startsWith('routing.rivers.1.area.coordinates.0'))).to.equal(
        true,
      );
      expect(err.message).to.match(/test\.json is not a valid region file \(\d+ problems\)/);
    });

    it('refuses a template with an unknown placeholder, naming the ones it may use', () => {
      const json = builtInJson();
      const templates = (
        json.routing as { hubAlert: { templates: Record<string, Record<string, string>> } }
      ).hubAlert.templates;
      (templates.headline as Record<string, string>).ru = '{hazrd}: {countries}';
      const problems = problemsOf(refusal(json));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(
        /^routing\.hubAlert\.templates\.headline\.ru: unknown placeholder \{hazrd\}; use \{hazard\}/,
      );
    });

    it('refuses a template missing in one of the base languages', () => {
      const json = builtInJson();
      const templates = (
        json.routing as { hubAlert: { templates: Record<string, Record<string, string>> } }
      ).hubAlert.templates;
      delete (templates.instruction as Record<string, string>).kk;
      expect(problemsOf(refusal(json))).to.deep.equal([
        'routing.hubAlert.templates.instruction: no "kk" text',
      ]);
    });

    it('refuses a downstream country that is neither partner nor neighbour, and duplicate ids', () => {
      const json = builtInJson();
      const routing = json.routing as {
        rivers: { id: string; downstream: { country: string }[] }[];
      };
      const [first, second] = routing.rivers;
      if (first === undefined || second === undefined) throw new Error('no rivers');
      (first.downstream[0] as { country: string }).country = 'DE';
      second.id = first.id;
      const problems = problemsOf(refusal(json));
      expect(problems).to.include(
        'routing.rivers.0.downstream.0.country: DE is neither a partner nor a neighbour',
      );
      expect(problems).to.include(
        'routing.rivers.1.id: id "ili-upper" is also used at routing.rivers.0.id',
      );
    });

    it('refuses station levels that do not grow worse in the station direction', () => {
      const json = builtInJson();
      const station = (
        json.routing as { stations: { levels: Record<string, { value: number }> }[] }
      ).stations[0];
      if (station === undefined) throw new Error('no station');
      (station.levels.danger as { value: number }).value = 400;
      expect(problemsOf(refusal(json))).to.deep.equal([
        'routing.stations.0.levels: watch, warning and danger must be increasing',
      ]);
    });

    it('loads a region without routing rules, with a derived hub sender', () => {
      const json = builtInJson();
      delete (json as Record<string, unknown>).routing;
      const region = parseRegion(json);
      expect(region.routing).to.equal(null);
      expect(region.hubSender).to.equal('ewx-hub.central-asia');
      delete (json.hub as Record<string, unknown>).sender;
      expect(parseRegion(json).hubSender).to.equal('urn:ewx:central-asia:hub');
    });

    it('refuses a hub whose id is also a partner organisation id', () => {
      const json = builtInJson();
      (json.hub as { id: string }).id = 'kz-mes';
      expect(problemsOf(refusal(json))).to.deep.equal([
        `organisations: id "kz-mes" is the hub's own id`,
      ]);
    });
  });

  describe('loadRegion', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ewx-region-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads a region file from a path', () => {
      const path = join(dir, 'region.json');
      const json = builtInJson();
      json.name = 'Central Asia (test copy)';
      writeFileSync(path, JSON.stringify(json));
      expect(loadRegion(path).name).to.equal('Central Asia (test copy)');
    });

    it('says which file it cannot read', () => {
      const path = join(dir, 'broken.json');
      writeFileSync(path, '{ not json');
      expect(() => loadRegion(path))
        .to.throw(HubError)
        .with.property('message')
        .that.matches(/^HUB_REGION: cannot read .*broken\.json/);
    });
  });
});
