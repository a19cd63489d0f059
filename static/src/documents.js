// "Add a document": MOJ Frontend's multi-file upload on the files field (templates/documents/_file_input.html).
//
// Loaded as a module from the page (no inline script); MOJ Frontend's module is imported from the address
// the markup gives, so the hashed static name is Django's to decide. Each file chosen (or dropped) is sent
// at once to the data-upload-url, checked and held by the server (msp_cases/documents/held.py), and listed
// under "Files added" with a Delete button. A hidden "held" input beside each file added carries its token
// with the form, whose title, kind and date make documents of them. Without JavaScript (or where the
// component is not supported) the field stays a plain file input and the files go with the form.
const root = document.querySelector("[data-app-multi-file-upload]");

if (root && document.body.classList.contains("govuk-frontend-supported")) {
  const { MultiFileUpload } = await import(root.getAttribute("data-moj-frontend"));

  // The component writes the chosen file's name into the page as HTML; a name is text.
  class TextNamedMultiFileUpload extends MultiFileUpload {
    getFileRow(file) {
      const row = super.getFileRow({ name: "" });
      row.querySelector(".moj-multi-file-upload__filename").textContent = file.name;
      return row;
    }
  }

  function keep(upload, file, xhr) {
    const token = xhr.response && xhr.response.file && xhr.response.file.filename;
    if (!token) return;
    const button = root.querySelector(`.moj-multi-file-upload__delete[value="${CSS.escape(token)}"]`);
    if (!button) return;
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "held";
    input.value = token;
    button.closest(".moj-multi-file-upload__row").append(input);
    // A file is now added: "Select a file", if the form came back with it, no longer applies.
    const group = root.querySelector(".moj-multi-file-upload__upload .govuk-form-group--error");
    if (group) {
      group.classList.remove("govuk-form-group--error");
      group.querySelectorAll(".govuk-error-message").forEach((message) => message.remove());
      const field = group.querySelector("input[type=file]");
      field.classList.remove("govuk-file-upload--error");
      field.setAttribute("aria-describedby", `${field.id}-hint`);
    }
  }

  try {
    new TextNamedMultiFileUpload(root, { hooks: { exitHook: keep } });
  } catch (error) {
    // Not supported here: the plain file input still works.
  }
}
