import { membersView, MUNICIPALITIES_MODES, municipalitiesFilterCells } from './municipalities';
import { filterCells } from './overview-csv';

describe('overviews across years: the municipalities filter', () => {
  it('reads the members as they were by default, mapped onto today only when asked', () => {
    expect(MUNICIPALITIES_MODES).toEqual(['as-was', 'today']);
    expect(membersView('as-was')).toBe('overview_applicant_member');
    expect(membersView('today')).toBe('overview_applicant_member_today');
  });

  it('names the mapping in an export only when mapped, so the exports as it was keep their first lines', () => {
    expect(municipalitiesFilterCells('as-was')).toEqual([]);
    expect(municipalitiesFilterCells('today')).toEqual(['gemeenten=vandaag']);
    const filters = { year: 2, objective: null, action: null, province: null, region: null } as const;
    expect(filterCells({ ...filters, municipalities: 'as-was' })).toEqual(['projectjaar=2', 'doelstelling=alle', 'actie=alle', 'provincie=alle', 'regio=alle']);
    expect(filterCells({ ...filters, municipalities: 'today' }).at(-1)).toBe('gemeenten=vandaag');
  });
});
