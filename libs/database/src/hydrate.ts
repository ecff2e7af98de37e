import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Raw rows of an entity's table (column names as in the database) as instances of the entity, each value converted as
 * TypeORM converts what it loads (the driver's conversion per column type, then the column's transformer). For the hot
 * reads where `findOneBy` would build, alias and parse a query builder on every call: the SQL is the caller's, fixed.
 */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const instance = metadata.create() as T;
    for (const column of metadata.columns) {
      if (column.databaseName in row) column.setEntityValue(instance, driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return instance;
  });
}
