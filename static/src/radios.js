// Conditional reveals (msp_cases/core/reveals.py): GOV.UK Frontend's own Radios module, given by base.html
// from the govuk-frontend we ship, with two changes.
//
// 1. No aria-expanded on the radios. GOV.UK Frontend 6.6 still sets it on every radio that reveals something
//    (components/radios/radios.mjs, syncConditionalRevealWithInputState); ARIA does not allow it on a radio
//    and axe-core reports it (aria-allowed-attr). GOV.UK keep it knowingly (alphagov/govuk-frontend#979).
//    The radio still points at what it reveals with aria-controls, which is allowed.
// 2. A block may be revealed by more than one radio (a note asked for "Partly" and for "No"; Part 2's answers
//    asked when the person was approached or someone answered in their best interests): it is shown while
//    any radio pointing at it is chosen. GOV.UK's one-radio-one-block sync would let the last radio win.
//
// Everything else is GOV.UK's: data-aria-controls made aria-controls on start, the state restored when the
// browser brings the page back (pageshow), and radios of the same name in the same form kept in step.
export function appRadios(Radios) {
  class AppRadios extends Radios {
    syncConditionalRevealWithInputState($input) {
      var id = $input.getAttribute("aria-controls");
      var $target = id && document.getElementById(id);
      if (!$target) return;
      var controllers = document.querySelectorAll('input[type="radio"][aria-controls="' + CSS.escape(id) + '"]');
      var shown = Array.prototype.some.call(controllers, function (input) { return input.checked; });
      $target.classList.toggle("govuk-radios__conditional--hidden", !shown);
    }
  }
  AppRadios.moduleName = "app-radios";
  return AppRadios;
}
