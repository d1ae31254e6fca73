//! Runs effects off the UI thread: saving, exporting and auto-suggest report back as
//! [`Msg::Done`] on the one channel the event loop waits on, so the screen never freezes.

use std::sync::mpsc::{self, Sender};

use super::app::{Done, Effect, ExportJob, Msg, SaveJob, Saved, SuggestJob};
use crate::plan::file::{self, Stamp};

/// Starts the worker thread; effects sent to the returned sender run in order.
pub fn spawn(results: Sender<Msg>) -> Sender<Effect> {
    let (tx, rx) = mpsc::channel::<Effect>();
    std::thread::spawn(move || {
        for effect in rx {
            if results.send(run(effect)).is_err() {
                break;
            }
        }
    });
    tx
}

/// Runs one effect to completion (tests call this directly).
pub fn run(effect: Effect) -> Msg {
    Msg::Done(match effect {
        Effect::Save(job) => Done::Saved(save(job)),
        Effect::Export(job) => export(job),
        Effect::Suggest(job) => suggest(job),
    })
}

fn save(job: SaveJob) -> Saved {
    if job.expected.is_some_and(|stamp| Stamp::of(&job.path) != stamp) {
        return Saved::ChangedOnDisk;
    }
    match file::save(&job.data.ds, &job.plan, job.threshold, &job.path) {
        Ok(()) => Saved::Written { stamp: Stamp::of(&job.path), practices: job.plan.assigned_practices() },
        Err(e) => Saved::Failed(e),
    }
}

fn export(job: ExportJob) -> Done {
    let d = &job.data;
    let now = d.ctx.balance(&job.plan);
    // DIR/exports, created here if missing; never through a symbolic link.
    let result = crate::export::exports_dir(&d.ds.dir)
        .and_then(|dir| d.snapshot(&job.plan, job.threshold, &now).write_all(&dir));
    Done::Exported { result, unsaved: job.unsaved }
}

fn suggest(job: SuggestJob) -> Done {
    let d = &job.data;
    let inputs_data = crate::plan::suggest::Data::new(&d.analysis, job.threshold);
    let inputs = inputs_data.inputs(&d.ctx);
    let proposal = inputs.suggest(&job.plan, &d.start);
    Done::Suggested { revision: job.revision, proposal: Box::new(proposal) }
}
