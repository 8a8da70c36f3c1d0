// The parts of the Lambda Node.js runtime the handler uses, typed here so
// the function needs no dependency but the TypeScript compiler.

export interface ResponseStream {
  write(chunk: string): void;
  end(): void;
}

export interface HttpResponseMetadata {
  statusCode: number;
  headers: Record<string, string>;
}

export interface LambdaGlobal {
  streamifyResponse(
    handler: (event: HttpEvent, stream: ResponseStream, context: Context) => Promise<void>,
  ): unknown;
  HttpResponseStream: {
    from(stream: ResponseStream, metadata: HttpResponseMetadata): ResponseStream;
  };
}

export interface HttpEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { domainName?: string };
}

export interface Context {
  awsRequestId: string;
}

declare const Buffer: { from(data: string, encoding: string): { toString(): string } };

export function decodeBody(event: HttpEvent): string {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString() : body;
}
