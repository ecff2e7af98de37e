import { LocalGovernment } from '@ps/organisations';
import { localGovernmentOptions } from './local-government-options';

const lg = (fields: Partial<LocalGovernment> & Pick<LocalGovernment, 'id' | 'nameNl'>) =>
  ({ nisCode: null, kind: 'municipality', validFrom: null, validUntil: null, ...fields }) as LocalGovernment;

const choices = {
  version: 1,
  localGovernments: [
    lg({ id: 1, nameNl: 'Antwerpen', nisCode: '11002', validUntil: '2024-12-31' }),
    lg({ id: 2, nameNl: 'Antwerpen', nisCode: '11002', validFrom: '2025-01-01' }),
    lg({ id: 3, nameNl: 'Gent <b>&</b>', nisCode: '44021' }),
    lg({ id: 4, nameNl: 'Vlaamse Gemeenschapscommissie', kind: 'vgc' }),
  ],
};

describe('the options of a select of local governments', () => {
  it('names a user’s local government with its NIS code and period, escaped, the chosen one selected', () => {
    expect(localGovernmentOptions(choices, 'account', { selected: '2' }).toString()).toBe(
      '<option value="1">Antwerpen (11002, tot 31 december 2024)</option>' +
        '<option value="2" selected>Antwerpen (11002, vanaf 1 januari 2025)</option>' +
        '<option value="3">Gent &lt;b&gt;&amp;&lt;/b&gt; (44021)</option>' +
        '<option value="4">Vlaamse Gemeenschapscommissie</option>',
    );
  });

  it('names a lead with its NIS code only', () => {
    expect(localGovernmentOptions(choices, 'lead').toString()).toBe(
      '<option value="1">Antwerpen (11002)</option><option value="2">Antwerpen (11002)</option>' +
        '<option value="3">Gent &lt;b&gt;&amp;&lt;/b&gt; (44021)</option><option value="4">Vlaamse Gemeenschapscommissie</option>',
    );
  });

  it('selects nothing for an unknown or empty choice', () => {
    for (const selected of ['', '99', '1 ', 'x']) expect(localGovernmentOptions(choices, 'lead', { selected }).toString()).not.toContain('selected');
  });
});
