import { Call, CatalogueRepository } from '@ps/catalogue';
import { Factories, startFactories } from '../support/factories';

/** `hydrate` (libs/database) gives what TypeORM's own load gives: the same entity, every column converted alike. */
describe('entities from fixed SQL', () => {
  let f: Factories;
  beforeAll(async () => (f = await startFactories()));
  afterAll(() => f?.close());

  it('reads a call by id exactly as findOneBy does, with optional amounts and dates set and unset', async () => {
    const withAmounts = await f.aCall({ year: 2, settings: { budgetEuro: 1234567.89, mentorshipStimulusEuro: 2500 } });
    const plain = await f.aCall({ year: 3 });
    const repository = f.get(CatalogueRepository);
    const manager = f.dataSource.manager;
    for (const id of [withAmounts.id, plain.id]) {
      const hydrated = await repository.callById(manager, id);
      const loaded = await manager.findOneBy(Call, { id });
      expect(hydrated).toBeInstanceOf(Call);
      expect(hydrated).toEqual(loaded);
    }
    expect((await repository.callById(manager, withAmounts.id))?.budgetCents).toBe(123_456_789);
    expect(await repository.callById(manager, 999_999)).toBeNull();
  });
});
