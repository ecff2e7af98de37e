import { Injectable, PipeTransform } from '@nestjs/common';
import { NotFound } from '@ps/kernel';

export const MAX_ID = 2_147_483_647;

/** A record id in a page address: a whole number PostgreSQL's integer can hold, or "not found". */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : 0;
    if (id < 1 || id > MAX_ID) throw new NotFound();
    return id;
  }
}
