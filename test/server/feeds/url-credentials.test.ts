/**
 * Credentials in feed URLs are hidden: user-info and secret-looking query values become `***`,
 * in a URL alone or quoted in an error message, and the rest of the URL stays as it was so a
 * person still sees which feed it is.
 */
import { expect } from 'chai';
import { redactingFeedLog, redactUrlCredentials } from '../../../server/feeds/url-credentials.ts';

describe('feed URL credentials', () => {
  it('hides the user-info of http and MQTT URLs', () => {
    expect(redactUrlCredentials('https://reader:s3cret@feeds.example/cap.atom')).to.equal(
      'https://***@feeds.example/cap.atom',
    );
    expect(redactUrlCredentials('https://only-a-user@feeds.example/cap.atom')).to.equal(
      'https://***@feeds.example/cap.atom',
    );
    expect(
      redactUrlCredentials(
        'mqtts://everyone:p%40ss@globalbroker.example:8883/origin/a/wis2/+/data/core/weather/advisories-warnings/#',
      ),
    ).to.equal(
      'mqtts://***@globalbroker.example:8883/origin/a/wis2/+/data/core/weather/advisories-warnings/#',
    );
    // An unencoded "@" in the password: everything up to the last one is user-info.
    expect(redactUrlCredentials('mqtt://kg:p@ss@broker.example/a/#')).to.equal(
      'mqtt://***@broker.example/a/#',
    );
  });

  it('hides the values of secret-looking query parameters and keeps the others', () => {
    expect(
      redactUrlCredentials(
        'https://api.example/feed?format=atom&token=abc&apikey=k1&key=k2&access_token=t&sig=s&lang=en',
      ),
    ).to.equal(
      'https://api.example/feed?format=atom&token=***&apikey=***&key=***&access_token=***&sig=***&lang=en',
    );
    expect(
      redactUrlCredentials(
        'https://bucket.example/f.xml?X-Amz-Credential=AK%2F1&X-Amz-Signature=ff&Subscription-Key=z&password=p',
      ),
    ).to.equal(
      'https://bucket.example/f.xml?X-Amz-Credential=***&X-Amz-Signature=***&Subscription-Key=***&password=***',
    );
    // A WIS2 topic in the query is no secret.
    const wss = 'wss://broker.example/mqtt?topic=origin/a/wis2/%2B/data/core/weather/%23';
    expect(redactUrlCredentials(wss)).to.equal(wss);
  });

  it('leaves a URL without credentials, and text around URLs, as it was', () => {
    const plain = 'https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/4.5_day.geojson';
    expect(redactUrlCredentials(plain)).to.equal(plain);
    const text = 'write to duty@mes.kg about https://feeds.example/cap.atom (it answered 401)';
    expect(redactUrlCredentials(text)).to.equal(text);
  });

  it('hides credentials quoted inside an error message', () => {
    expect(
      redactUrlCredentials(
        'https://kg:pw@feeds.example/cap.atom?token=T0K answered 401 Unauthorized; see "http://u:p@x.example/?sig=1"',
      ),
    ).to.equal(
      'https://***@feeds.example/cap.atom?token=*** answered 401 Unauthorized; see "http://***@x.example/?sig=***"',
    );
  });

  it('keeps credentials out of what a feed logs (message, fields, errors)', () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const record = (fields: Record<string, unknown>, message: string) => {
      lines.push({ fields, message });
    };
    const log = redactingFeedLog({ debug: record, info: record, warn: record, error: record });
    log.error(
      {
        feedId: 'kg-1',
        entry: 'https://kg:pw@feeds.example/e/1.xml',
        err: new Error('GET https://feeds.example/x?apikey=K3Y failed'),
        count: 3,
      },
      'feed poll failed: https://kg:pw@feeds.example/cap.atom?token=T0K answered 401',
    );
    const text = JSON.stringify(lines, (_k, v: unknown) =>
      v instanceof Error ? `${v.message} ${v.stack ?? ''}` : v,
    );
    for (const secret of ['pw@', 'T0K', 'K3Y']) expect(text).not.to.contain(secret);
    expect(lines[0]?.message).to.equal(
      'feed poll failed: https://***@feeds.example/cap.atom?token=*** answered 401',
    );
    expect(lines[0]?.fields.count).to.equal(3);
    expect(lines[0]?.fields.feedId).to.equal('kg-1');
  });
});
