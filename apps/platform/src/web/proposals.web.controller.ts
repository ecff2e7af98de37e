import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ProposalDecisionDto, ProposalsService, ProposalView } from '@ps/allocation';
import { asSeenBy, refusalToApprove, refusalToWithdraw } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { byField, formRefusal, validInput } from './forms';
import { redirectWithNotice } from './notice';
import { ParseIdPipe } from './parse-id.pipe';

/** "Voorstellen": the money decisions that wait for a second ABB person, each with its totals, to approve or withdraw. */
@ApiExcludeController()
@Controller()
export class ProposalsWebController {
  constructor(private readonly proposals: ProposalsService) {}

  @Get('voorstellen')
  @Access({ permission: 'money:approve' })
  async pending(@Req() req: Request, @Res() res: Response) {
    const proposals = asSeenBy(req.actor?.role ?? null, await this.proposals.pending());
    res.render('proposals', {
      title: 'Voorstellen',
      page: 'proposals',
      proposals: proposals.map((p) => ({ ...p, own: p.proposedByUserId === req.actor?.userId })),
    });
  }

  @Get('voorstellen/:id')
  @Access({ permission: 'money:approve' })
  async proposal(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('proposal', this.view(await this.proposals.get(id), req));
  }

  @Post('voorstellen/:id/goedkeuren')
  @Access({ permission: 'money:approve' })
  async approve(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.decide(id, body, req, res, 'approve', async (decision) => {
      const done = await this.proposals.approve(req.actor!, id, decision);
      await redirectWithNotice(req, res, done.path, `U keurde voorstel ${id} goed: ${done.kindLabel.toLowerCase()} is uitgevoerd.`);
    });
  }

  @Post('voorstellen/:id/intrekken')
  @Access({ permission: 'money:approve' })
  async withdraw(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.decide(id, body, req, res, 'withdraw', async (decision) => {
      await this.proposals.withdraw(req.actor!, id, decision);
      await redirectWithNotice(req, res, `/voorstellen/${id}`, `Voorstel ${id} is ingetrokken.`);
    });
  }

  /** Runs a decision; a refusal (stale page, changed inputs, the proposer approving) shows the proposal again with it at the top. */
  private async decide(
    id: number,
    body: Record<string, string>,
    req: Request,
    res: Response,
    field: string,
    run: (decision: ProposalDecisionDto) => Promise<void>,
  ) {
    try {
      await run(validInput(ProposalDecisionDto, { version: body.version ?? '' }));
    } catch (error) {
      // The decision has no field of its own to link to (a hidden version): the summary states the refusal.
      const refused = formRefusal(error, field);
      const errors = refused.errors.map((e) => ({ ...e, field: '' }));
      res.status(refused.status).render('proposal', { ...this.view(await this.proposals.get(id), req), errors, fieldErrors: byField(errors) });
    }
  }

  private view(stored: ProposalView, req: Request) {
    const actor = req.actor!;
    const proposal = asSeenBy(actor.role, stored);
    const parties = { proposedByUserId: stored.proposedByUserId };
    const pending = proposal.state === 'pending';
    return {
      title: `Voorstel ${proposal.id}: ${proposal.kindLabel.toLowerCase()}`,
      page: 'proposals',
      proposal,
      stateLabel: { pending: 'wacht op goedkeuring', approved: 'goedgekeurd en uitgevoerd', withdrawn: 'ingetrokken' }[proposal.state],
      own: stored.proposedByUserId === actor.userId,
      canApprove: pending && refusalToApprove(actor, parties) === null,
      canWithdraw: pending && refusalToWithdraw(actor, parties) === null,
    };
  }
}
