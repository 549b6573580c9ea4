// An ARM error answer of the fake ACR: status, code and message ({"error": {"code", "message"}}).
export class Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Answer = [number, unknown, Record<string, string>?];
