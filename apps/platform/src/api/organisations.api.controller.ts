import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { LocalGovernmentDto, LocalGovernmentQuery, NisCodeParams, OrganisationsService, toLocalGovernmentDto } from '@ps/organisations';
import { Public } from '../auth/access.decorator';

@ApiTags('local governments')
@Public()
@Controller('api/v1/local-governments')
export class OrganisationsApiController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOkResponse({ type: [LocalGovernmentDto] })
  async search(@Query() query: LocalGovernmentQuery): Promise<LocalGovernmentDto[]> {
    const validOn = query.date ?? this.organisations.today();
    return (await this.organisations.search({ query: query.q, province: query.province, validOn })).map(toLocalGovernmentDto);
  }

  @Get(':nisCode')
  @ApiOkResponse({ type: LocalGovernmentDto })
  @ApiNotFoundResponse()
  async get(@Param() { nisCode }: NisCodeParams): Promise<LocalGovernmentDto> {
    return toLocalGovernmentDto(await this.organisations.getByNisCode(nisCode));
  }
}
