/** `ewx stations add` and `ewx stations list`, and the region file's stations. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDownstream } from '../../../server/sensors/station-input.ts';
import { cli } from '../../helpers/cli.ts';

describe('ewx stations', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ewx-stations-'));
  const saved = { dir: process.env.HUB_DATA_DIR, level: process.env.LOG_LEVEL };
  before(() => {
    process.env.HUB_DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'silent';
  });
  after(() => {
    if (saved.dir === undefined) delete process.env.HUB_DATA_DIR;
    else process.env.HUB_DATA_DIR = saved.dir;
    if (saved.level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved.level;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const add = (...extra: string[]) =>
    cli(
      'stations',
      'add',
      '--org',
      'kz-mes',
      '--id',
      'kz-ili-1',
      '--lat',
      '44.0',
      '--lon',
      '79.5',
      '--parameter',
      'water_level',
      '--unit',
      'm',
      '--watch',
      '2.5',
      '--warning',
      '3.0',
      '--danger',
      '3.5',
      ...extra,
    );

  it('adds a station with levels and downstream countries', async () => {
    const res = await add('--downstream', 'KZ,UZ:6-12');
    expect(res.code).to.equal(0);
    expect(res.out).to.deep.equal(['kz-ili-1']);
    expect(res.err.join('\n')).to.contain('added station kz-ili-1 of kz-mes (KZ)');
  });

  it('lists it beside the region file’s stations, with its level', async () => {
    const res = await cli('stations', 'list');
    expect(res.code).to.equal(0);
    const line = res.out.find((l) => l.startsWith('kz-ili-1\t'));
    expect(line).to.contain('kz-mes').and.contain('watch=2.5,warning=3,danger=3.5');
    expect(line).to.contain('downstream=KZ,UZ').and.contain('level=normal').and.contain('operator');
    expect(res.out.some((l) => l.startsWith('kz-boran\t') && l.endsWith('region'))).to.equal(true);
  });

  it('refuses levels out of order, naming the problem (exit 1, STATION_INVALID)', async () => {
    const res = await add('--watch', '4');
    expect(res.code).to.equal(1);
    expect(res.err[0])
      .to.contain('STATION_INVALID')
      .and.contain('warning (3) must be above watch (4)');
  });

  it('refuses a station id of the region file or of another organisation', async () => {
    const region = await cli(
      ...['stations', 'add', '--org', 'kz-mes', '--id', 'kz-boran', '--lat', '48', '--lon', '85'],
      ...['--parameter', 'water_level', '--unit', 'cm', '--warning', '525'],
    );
    expect(region.code).to.equal(1);
    expect(region.err[0]).to.contain('STATION_CONFLICT').and.contain('region file');
    const other = await cli(
      ...['stations', 'add', '--org', 'kg-mes', '--id', 'kz-ili-1', '--lat', '42', '--lon', '75'],
      ...['--parameter', 'water_level', '--unit', 'm', '--warning', '3'],
    );
    expect(other.code).to.equal(1);
    expect(other.err[0]).to.contain('belongs to kz-mes');
  });

  it('answers a usage error (exit 2) for missing options', async () => {
    const res = await cli('stations', 'add', '--org', 'kz-mes');
    expect(res.code).to.equal(2);
    expect(res.err[0]).to.contain('--id');
  });

  it('reads downstream countries with optional travel hours and place', () => {
    expect(parseDownstream('kz, UZ:6-12@Chinaz')).to.deep.equal([
      { country: 'kz' },
      { country: 'UZ', minHours: 6, maxHours: 12, place: 'Chinaz' },
    ]);
  });
});
