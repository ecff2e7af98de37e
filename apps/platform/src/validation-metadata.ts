import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Rules = ReturnType<Lookup>;

/**
 * class-validator finds a class's rules anew on every validation, for the body and for each nested object: it filters
 * that class's rules and tests the class against every other class with rules (inheritance). A draft save with four lines
 * and four priorities does that nine times. The rules are fixed once the classes are loaded, so the answer is kept per
 * class and options, and forgotten when a rule is added (a class loaded later). Patches the one global storage, once.
 */
export function keepValidationRulesPerClass(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { rulesKept?: boolean };
  if (marked.rulesKept) return;
  marked.rulesKept = true;
  const find: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let found = new Map<unknown, Map<string, Rules>>();
  let grouped = new WeakMap<Rules, ReturnType<Storage['groupByPropertyName']>>();
  storage.addValidationMetadata = (metadata) => {
    found = new Map();
    grouped = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${(groups ?? []).join('\u0000')}`;
    let perClass = found.get(target);
    if (!perClass) found.set(target, (perClass = new Map()));
    let rules = perClass.get(key);
    if (!rules) perClass.set(key, (rules = find(target, schema, always, strictGroups, groups)));
    return rules;
  };
  // The executor groups the same array by property right after each lookup: kept with it (neither is changed by a caller).
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = group(metadata)));
    return byProperty;
  };
}
