/**
 * Dutch text for class-validator's own messages, which are English ("confirmed must be an array");
 * a decorator's own message (always Dutch in this code base) wins.
 */
const BY_CONSTRAINT: Record<string, string> = {
  isArray: 'Geef een lijst.',
  arrayMinSize: 'Deze lijst heeft te weinig elementen.',
  arrayMaxSize: 'Deze lijst heeft te veel elementen.',
  isInt: 'Geef een geheel getal.',
  isNumber: 'Geef een getal.',
  min: 'Dit getal is te klein.',
  max: 'Dit getal is te groot.',
  isString: 'Geef een tekst.',
  maxLength: 'Deze tekst is te lang.',
  minLength: 'Deze tekst is te kort.',
  isLength: 'Deze tekst heeft niet de juiste lengte.',
  isBoolean: 'Kies ja of nee.',
  isIn: 'Kies een waarde uit de lijst.',
  isEmail: 'Vul een geldig e-mailadres in.',
  matches: 'Deze waarde heeft niet de juiste vorm.',
  isDefined: 'Dit veld is verplicht.',
  isNotEmpty: 'Dit veld is verplicht.',
  nestedValidation: 'Geef een object of een lijst.',
  whitelistValidation: 'Dit veld is onbekend.',
  unknownValue: 'Ongeldige invoer.',
};

const ENGLISH_DEFAULT = /^(each value in |property |nested property |an unknown value )/;

/** The message to show for one failed constraint of a property. */
export function dutchConstraintMessage(property: string, constraint: string, message: string): string {
  const isDefault = message === '' || message.startsWith(`${property} `) || ENGLISH_DEFAULT.test(message);
  return isDefault ? (BY_CONSTRAINT[constraint] ?? 'Deze waarde is ongeldig.') : message;
}

// When the type is wrong, "too many elements" or "too large" would only confuse.
const HIDDEN_BY_TYPE: Record<string, string[]> = {
  isArray: ['arrayMinSize', 'arrayMaxSize', 'nestedValidation'],
  isInt: ['min', 'max'],
  isNumber: ['min', 'max'],
  isString: ['minLength', 'maxLength', 'isLength'],
};

/** The Dutch messages for a property's failed constraints: the type error alone when the type is wrong, each text once. */
export function dutchConstraintMessages(property: string, constraints: Record<string, string>): string[] {
  const hidden = new Set(Object.keys(constraints).flatMap((name) => HIDDEN_BY_TYPE[name] ?? []));
  const shown = Object.entries(constraints).filter(([name]) => !hidden.has(name));
  return [...new Set(shown.map(([name, message]) => dutchConstraintMessage(property, name, message)))];
}
