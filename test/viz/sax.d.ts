// The part of the sax XML parser's API the export tests use (the package ships no types).
declare module 'sax' {
  export interface Tag { name: string; attributes: Record<string, string> }
  export interface SAXParser {
    onerror: (e: Error) => void;
    onopentag: (tag: Tag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    write(s: string): SAXParser;
    close(): SAXParser;
  }
  export function parser(strict: boolean, opt?: { xmlns?: boolean; position?: boolean }): SAXParser;
}
