import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  LocalGovernmentDto,
  LocalGovernmentPageDto,
  LocalGovernmentPageQuery,
  NisCodeParams,
  OrganisationsService,
  toLocalGovernmentDto,
} from '@ps/organisations';
import { Public } from '../auth/access.decorator';

@ApiTags('local governments')
@Public()
@Controller('api/v1/local-governments')
export class OrganisationsApiController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOkResponse({ type: LocalGovernmentPageDto })
  async search(@Query() query: LocalGovernmentPageQuery): Promise<LocalGovernmentPageDto> {
    const validOn = query.date ?? this.organisations.today();
    const found = await this.organisations.searchPage({ query: query.q, province: query.province, validOn }, { page: query.page, pageSize: query.pageSize });
    return { ...found, items: found.items.map(toLocalGovernmentDto) };
  }

  @Get(':nisCode')
  @ApiOkResponse({ type: LocalGovernmentDto })
  @ApiNotFoundResponse()
  async get(@Param() { nisCode }: NisCodeParams): Promise<LocalGovernmentDto> {
    return toLocalGovernmentDto(await this.organisations.getByNisCode(nisCode));
  }
}
