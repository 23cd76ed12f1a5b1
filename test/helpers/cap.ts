/** A valid CAP 1.2 alert to start tests from (change one field, see what breaks). */
import type { CapAlert } from '../../protocols/cap/model.ts';

/** A fresh, valid CAP 1.2 alert: a mudflow warning for the Chüy valley. */
export function validAlert(): CapAlert {
  return {
    identifier: '2.49.0.0.417.0.KG.260402063000.1',
    sender: 'cap@mes.gov.kg',
    sent: '2026-04-02T06:30:00+06:00',
    status: 'Actual',
    msgType: 'Alert',
    source: 'Duty service, Ministry of Emergency Situations of the Kyrgyz Republic',
    scope: 'Public',
    code: ['IPAWSv1.0'],
    note: 'Issued after heavy rain on the northern slopes',
    info: [
      {
        language: 'en-US',
        category: ['Geo', 'Met'],
        event: 'Mudflow',
        responseType: ['Evacuate'],
        urgency: 'Immediate',
        severity: 'Severe',
        certainty: 'Likely',
        eventCode: [{ valueName: 'SAME', value: 'FFW' }],
        effective: '2026-04-02T06:30:00+06:00',
        onset: '2026-04-02T07:00:00+06:00',
        expires: '2026-04-03T06:30:00+06:00',
        senderName: 'Ministry of Emergency Situations of the Kyrgyz Republic',
        headline: 'Mudflow risk in the Alamedin valley',
        description: 'Heavy rain has saturated the slopes above the Alamedin river.',
        instruction: 'Leave the river banks and move to higher ground.',
        web: 'https://mes.gov.kg/alerts/1',
        contact: '+996 312 54 79 13',
        parameter: [{ valueName: 'river', value: 'Alamedin' }],
        resource: [
          {
            resourceDesc: 'Map of the danger zone',
            mimeType: 'image/png',
            size: '12345',
            uri: 'https://mes.gov.kg/alerts/1/map.png',
            digest: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
          },
        ],
        area: [
          {
            areaDesc: 'Alamedin district, Chüy region',
            polygon: ['42.60,74.60 42.60,74.80 42.80,74.80 42.80,74.60 42.60,74.60'],
            circle: ['42.70,74.70 10'],
            geocode: [{ valueName: 'ISO 3166-2', value: 'KG-C' }],
            altitude: '1000',
            ceiling: '3000',
          },
        ],
      },
    ],
  };
}
