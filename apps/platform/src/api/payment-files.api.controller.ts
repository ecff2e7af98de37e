import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { PaymentFilesService } from '@ps/allocation';
import { PaymentFileQuery } from '@ps/payments';
import { Access } from '../auth/access.decorator';
import { paymentFileXml } from '../documents/payment-file';
import { sendXml } from '../documents/send-file';
import { IdParams, ListParams } from './params';

/** The SEPA credit transfer files of a published run's released payment lists (docs/allocation.md, "The payment file"). */
@ApiTags('allocation')
@ApiBearerAuth()
@Controller('api/v1')
export class PaymentFilesApiController {
  constructor(private readonly files: PaymentFilesService) {}

  /** The released payment lists of a run, each with what its SEPA file holds, the paying account and the default execution date. */
  @Get('allocation-runs/:id/payment-files')
  @Access({ permission: 'payments:read' })
  lists(@Param() { id }: IdParams) {
    return this.files.lists(id);
  }

  /** The SEPA file (pain.001.001.03) of the run's n-th released list, to be paid on `executionDate` (by default the next weekday). */
  @Get('allocation-runs/:id/payment-files/:number/sepa.xml')
  @ApiProduces('application/xml')
  @Access({ permission: 'payments:read' })
  async file(@Param() { id, number }: ListParams, @Query() { executionDate }: PaymentFileQuery, @Res() res: Response) {
    sendXml(res, paymentFileXml(await this.files.file(id, number, executionDate)));
  }
}
