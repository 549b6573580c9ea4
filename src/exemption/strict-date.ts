// expiresOn, parsed strictly. JavaScript's Date rolls an impossible date over (2027-02-30 becomes
// 2027-03-02, 24:00 the next day), so an exemption meant to end in February would end in March.
// Every field is range-checked against the calendar before the time is computed.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

const daysIn = (year: number, month: number) => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/** The instant an ISO 8601 date or date-time with a zone names, or why it names none. */
export function parseStrictDate(text: string): { time: number } | { problem: string } {
  const m = ISO.exec(text);
  if (!m) return { problem: "is not an ISO 8601 date or date-time with a zone" };
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [n(1), n(2), n(3), n(4), n(5), n(6), n(8), n(9)];
  if (month < 1 || month > 12) return { problem: `has month ${month}; months are 01-12` };
  if (day < 1 || day > daysIn(year, month)) return { problem: `names day ${day} of a month that has ${daysIn(year, month)} days; that date does not exist` };
  if (hour > 23 || minute > 59 || second > 59) return { problem: "has a time of day outside 00:00:00-23:59:59" };
  if (offsetHours > 14 || offsetMinutes > 59) return { problem: "has a zone offset outside -14:00..+14:00" };
  const time = Date.parse(text);
  return Number.isNaN(time) ? { problem: "is not an ISO 8601 date or date-time with a zone" } : { time };
}
