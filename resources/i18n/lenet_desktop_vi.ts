<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AutogradGraphView</name>
    <message>
        <source>Press 3 (loss) to record the graph autograd builds for backward.</source>
        <translation>Nhấn 3 (loss) để ghi lại đồ thị tính toán mà autograd dựng cho backward.</translation>
    </message>
    <message>
        <source>%1: .grad of %2</source>
        <translation>%1: .grad của %2</translation>
    </message>
</context>
<context>
    <name>CanvasImages</name>
    <message>
        <source>Cannot open the image</source>
        <translation>Không mở được ảnh</translation>
    </message>
    <message>
        <source>Cannot use the image</source>
        <translation>Không dùng được ảnh</translation>
    </message>
    <message>
        <source>The clipboard holds no image</source>
        <translation>Bộ nhớ tạm không có ảnh</translation>
    </message>
    <message>
        <source>the image</source>
        <translation>ảnh</translation>
    </message>
    <message>
        <source>Cannot save the drawing</source>
        <translation>Không lưu được hình vẽ</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Mở ảnh</translation>
    </message>
    <message>
        <source>Images (%1);;All files (*)</source>
        <translation>Ảnh (%1);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Save the drawing</source>
        <translation>Lưu hình vẽ</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Ảnh PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>ConfusionTable</name>
    <message>
        <source>not a digit</source>
        <translation>không phải chữ số</translation>
    </message>
    <message>
        <source>before: %1</source>
        <translation>trước: %1</translation>
    </message>
</context>
<context>
    <name>CorrectionBar</name>
    <message>
        <source>Draw a digit, then press its key (0-9) or button to save it as a correction.</source>
        <translation>Vẽ một chữ số, rồi nhấn phím (0-9) hoặc nút của nó để lưu thành một bản sửa.</translation>
    </message>
    <message>
        <source>This drawing is:</source>
        <translation>Hình vẽ này là:</translation>
    </message>
    <message>
        <source>Save the drawing as a %1 (key %1)</source>
        <translation>Lưu hình vẽ là chữ số %1 (phím %1)</translation>
    </message>
    <message>
        <source>Typed %1 of a number of %2 digits: press Enter to save one correction per digit (one digit and Enter corrects the chosen digit).</source>
        <translation>Đã gõ %1 của một số có %2 chữ số: nhấn Enter để lưu mỗi chữ số một bản sửa (gõ một chữ số rồi Enter thì sửa chữ số đang chọn).</translation>
    </message>
    <message>
        <source>Typed %1 of a number of %2 digits: press Enter to save it, one correction per digit, in place of correction #%3, which stays saved until then.</source>
        <translation>Đã gõ %1 của một số có %2 chữ số: nhấn Enter để lưu số này, mỗi chữ số một bản sửa, thay cho bản sửa #%3; đến lúc đó bản sửa #%3 vẫn được giữ.</translation>
    </message>
    <message>
        <source>Saved, but correction #%1, which the number replaces, is still there: %2</source>
        <translation>Đã lưu, nhưng bản sửa #%1 mà số này thay thế vẫn còn: %2</translation>
    </message>
    <message>
        <source>Nothing to save: draw a digit first.</source>
        <translation>Không có gì để lưu: hãy vẽ một chữ số trước.</translation>
    </message>
    <message>
        <source>Not saved: %1 digits typed, but the drawing has %2; type the whole number, or one digit for the chosen digit.</source>
        <translation>Chưa lưu: đã gõ %1 chữ số, nhưng hình vẽ có %2; hãy gõ cả số, hoặc một chữ số cho chữ số đang chọn.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu: %1</translation>
    </message>
    <message numerus="yes">
        <source>Saved %1 as %2 corrections, one per digit; the model said %3. %n corrections in all.</source>
        <translation>
            <numerusform>Đã lưu %1 thành %2 bản sửa, mỗi chữ số một bản; mô hình đã đoán %3. Tổng cộng %n bản sửa.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved correction #%1 as %2; the model said %3 (%4). %n corrections in all.</source>
        <translation>
            <numerusform>Đã lưu bản sửa #%1 là chữ số %2; mô hình đã đoán %3 (%4). Tổng cộng %n bản sửa.</numerusform>
        </translation>
    </message>
    <message>
        <source>Corrections cannot be saved: %1</source>
        <translation>Không lưu được bản sửa: %1</translation>
    </message>
</context>
<context>
    <name>CorrectionsBrowser</name>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Put back the corrections just deleted</source>
        <translation>Đưa lại các bản sửa vừa xoá</translation>
    </message>
    <message>
        <source>Deleted correction #%1: Undo puts it back.</source>
        <translation>Đã xoá bản sửa #%1: Hoàn tác sẽ đưa nó trở lại.</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n corrections: Undo puts them back.</source>
        <translation>
            <numerusform>Đã xoá %n bản sửa: Hoàn tác sẽ đưa chúng trở lại.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not put back: %1</source>
        <translation>Chưa đưa lại được: %1</translation>
    </message>
    <message numerus="yes">
        <source>Put back %n corrections.</source>
        <translation>
            <numerusform>Đã đưa lại %n bản sửa.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting corrections to %1…</source>
        <translation>Đang xuất bản sửa vào %1…</translation>
    </message>
    <message>
        <source>Relabel</source>
        <translation>Đổi nhãn</translation>
    </message>
    <message>
        <source>Confirm label</source>
        <translation>Xác nhận nhãn</translation>
    </message>
    <message>
        <source>The selected flagged labels are right: train on them</source>
        <translation>Các nhãn bị đánh dấu đã chọn là đúng: dùng chúng để huấn luyện</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Nhập…</translation>
    </message>
    <message>
        <source>Selected:</source>
        <translation>Đã chọn:</translation>
    </message>
    <message numerus="yes">
        <source>%n corrections in %1</source>
        <translation>
            <numerusform>%n bản sửa trong %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n flagged ⚠: confirm or fix their labels; not trained on until then)</source>
        <translation>
            <numerusform>(%n bản bị đánh dấu ⚠: hãy xác nhận hoặc sửa nhãn; chưa được dùng để huấn luyện cho đến lúc đó)</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Xuất thất bại: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n corrections to %1</source>
        <translation>
            <numerusform>Đã xuất %n bản sửa vào %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing corrections from %1…</source>
        <translation>Đang nhập bản sửa từ %1…</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>Nhập thất bại: %1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n corrections (%1 already there); could not read: %2</source>
        <translation>
            <numerusform>Đã nhập %n bản sửa (%1 bản đã có sẵn); không đọc được: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n corrections (%1 already there)</source>
        <translation>
            <numerusform>Đã nhập %n bản sửa (%1 bản đã có sẵn)</numerusform>
        </translation>
    </message>
    <message>
        <source>Export corrections to folder</source>
        <translation>Xuất bản sửa vào thư mục</translation>
    </message>
    <message>
        <source>Import corrections from folder (with corrections.csv)</source>
        <translation>Nhập bản sửa từ thư mục (có corrections.csv)</translation>
    </message>
</context>
<context>
    <name>CorrectionsModel</name>
    <message>
        <source>⚠ {caption}</source>
        <translation>⚠ {caption}</translation>
    </message>
    <message>
        <source>#%1, %2, model %3 %4</source>
        <translation>#%1, %2, mô hình %3 %4</translation>
    </message>
    <message>
        <source>Check this label: the active model is sure this is not a %1. Confirm it if it is right, relabel it if it is wrong; until then it is not trained on.</source>
        <translation>Hãy kiểm tra nhãn này: mô hình đang dùng chắc chắn đây không phải chữ số %1. Nếu nhãn đúng, hãy xác nhận; nếu sai, hãy đổi nhãn. Cho đến lúc đó, bản sửa này không được dùng để huấn luyện.</translation>
    </message>
    <message>
        <source>%1 (said %2)</source>
        <translation>%1 (đã đoán %2)</translation>
    </message>
</context>
<context>
    <name>CrashReporter</name>
    <message>
        <source>Something went wrong</source>
        <translation>Đã xảy ra lỗi</translation>
    </message>
    <message>
        <source>An unexpected error: {summary}. The details are in {log}. Your drawing and saved work are kept.</source>
        <translation>Lỗi không lường trước: {summary}. Chi tiết nằm trong {log}. Hình vẽ và những gì đã lưu của bạn vẫn được giữ nguyên.</translation>
    </message>
</context>
<context>
    <name>DigitReadout</name>
    <message>
        <source>no digit</source>
        <translation>không có chữ số</translation>
    </message>
    <message>
        <source>not a digit</source>
        <translation>không phải chữ số</translation>
    </message>
    <message>
        <source>unsure · %1</source>
        <translation>chưa chắc · %1</translation>
    </message>
    <message>
        <source>%1 confident</source>
        <translation>chắc chắn %1</translation>
    </message>
    <message>
        <source>loading the model…</source>
        <translation>đang nạp mô hình…</translation>
    </message>
</context>
<context>
    <name>DrawingSide</name>
    <message>
        <source>Width</source>
        <translation>Độ rộng</translation>
    </message>
    <message>
        <source>Brush width in pixels of the 280×280 drawing</source>
        <translation>Độ rộng nét vẽ, tính bằng pixel của hình vẽ 280×280</translation>
    </message>
    <message>
        <source>Draw a digit with the mouse or a pen · drop or paste an image to use it</source>
        <translation>Vẽ một chữ số bằng chuột hoặc bút · thả hoặc dán một ảnh để dùng nó</translation>
    </message>
</context>
<context>
    <name>EnrolmentDialog</name>
    <message>
        <source>Teach it my handwriting</source>
        <translation>Dạy nó chữ viết tay của tôi</translation>
    </message>
    <message>
        <source>Write this digit:</source>
        <translation>Hãy viết chữ số này:</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Viết lại</translation>
    </message>
    <message>
        <source>Clear this drawing and write the digit again</source>
        <translation>Xóa hình vẽ này và viết lại chữ số</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Go on to the next digit without saving this one</source>
        <translation>Sang chữ số tiếp theo mà không lưu chữ số này</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <source>Save this drawing and go on (Enter)</source>
        <translation>Lưu hình vẽ này và đi tiếp (Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Stop here: the drawings saved so far stay as corrections</source>
        <translation>Dừng tại đây: các hình vẽ đã lưu vẫn được giữ làm bản sửa</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Giữ</translation>
    </message>
    <message>
        <source>Make the new model active and save it into the model history</source>
        <translation>Dùng mô hình mới và lưu nó vào lịch sử mô hình</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>Your drawings, each held out in turn</source>
        <translation>Hình vẽ của bạn, lần lượt giữ lại từng phần để kiểm tra</translation>
    </message>
    <message>
        <source>MNIST test</source>
        <translation>Test MNIST</translation>
    </message>
    <message>
        <source>MNIST test: %1</source>
        <translation>Test MNIST: chữ số %1</translation>
    </message>
    <message numerus="yes">
        <source>Personalising the active model on your %n drawing(s)…</source>
        <translation>
            <numerusform>Đang cá nhân hóa mô hình đang dùng trên %n hình vẽ của bạn…</numerusform>
        </translation>
    </message>
    <message>
        <source>Write it once, as you usually do; it goes on when you lift the pen, or on Enter.</source>
        <translation>Viết một lần như bạn vẫn viết; khi bạn nhấc bút hoặc nhấn Enter thì sẽ sang chữ số tiếp theo.</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Nothing to save: write the digit first, or press Skip.</source>
        <translation>Không có gì để lưu: hãy viết chữ số trước, hoặc nhấn Bỏ qua.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Chưa lưu: %1</translation>
    </message>
    <message>
        <source>Loading MNIST…</source>
        <translation>Đang nạp MNIST…</translation>
    </message>
    <message>
        <source>Run %1 of %2 · %3 left</source>
        <translation>Lần chạy %1/%2 · còn %3</translation>
    </message>
    <message>
        <source>Not personalised: %1</source>
        <translation>Chưa cá nhân hóa: %1</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Before → after. Your drawings are each read by a model trained without them, so the figure says how it will read your next ones.</source>
        <translation>Trước → sau. Mỗi hình vẽ của bạn được đọc bởi một mô hình chưa từng học nó, nên con số cho biết mô hình sẽ đọc các hình vẽ tiếp theo của bạn ra sao.</translation>
    </message>
    <message>
        <source>%1 of %2 read right</source>
        <translation>đọc đúng %1 trên %2</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>chưa đo</translation>
    </message>
    <message>
        <source>On MNIST, these digits fell by more than 0.5 points: %1</source>
        <translation>Trên MNIST, các chữ số này bị giảm hơn 0,5 điểm: %1</translation>
    </message>
    <message>
        <source>No MNIST digit fell by more than 0.5 points.</source>
        <translation>Không chữ số MNIST nào bị giảm hơn 0,5 điểm.</translation>
    </message>
    <message>
        <source>Keep this model?</source>
        <translation>Giữ mô hình này?</translation>
    </message>
    <message>
        <source>On MNIST, %1 fell by more than 1 point. Keep the new model anyway?</source>
        <translation>Trên MNIST, chữ số %1 bị giảm hơn 1 điểm. Vẫn giữ mô hình mới?</translation>
    </message>
    <message>
        <source>Could not save the model: %1</source>
        <translation>Không lưu được mô hình: %1</translation>
    </message>
    <message>
        <source>Cancelling: the run stops after the current batch…</source>
        <translation>Đang hủy: lần huấn luyện dừng sau batch hiện tại…</translation>
    </message>
</context>
<context>
    <name>EvaluationWindow</name>
    <message>
        <source>Evaluation</source>
        <translation>Đánh giá</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true label, columns: answer); click a cell to see its images</source>
        <translation>Ma trận nhầm lẫn (hàng: nhãn đúng, cột: câu trả lời); nhấp vào một ô để xem các ảnh của nó</translation>
    </message>
    <message>
        <source>Evaluate on &amp;MNIST test…</source>
        <translation>Đánh giá trên tập test &amp;MNIST…</translation>
    </message>
    <message>
        <source>Measure the active model on the 10,000 MNIST test digits and see its mistakes</source>
        <translation>Đo mô hình đang dùng trên 10.000 chữ số test MNIST và xem các lỗi của nó</translation>
    </message>
    <message>
        <source>Evaluate on a &amp;folder…</source>
        <translation>Đánh giá trên một &amp;thư mục…</translation>
    </message>
    <message>
        <source>Measure the active model on a folder of images listed in labels.csv (file,label)</source>
        <translation>Đo mô hình đang dùng trên một thư mục ảnh được liệt kê trong labels.csv (file,label)</translation>
    </message>
    <message>
        <source>MNIST test</source>
        <translation>tập test MNIST</translation>
    </message>
    <message>
        <source>Evaluating %1 on %2…</source>
        <translation>Đang đánh giá %1 trên %2…</translation>
    </message>
    <message>
        <source>Reading images</source>
        <translation>Đang đọc ảnh</translation>
    </message>
    <message>
        <source>Predicting</source>
        <translation>Đang dự đoán</translation>
    </message>
    <message>
        <source>time left unknown</source>
        <translation>chưa biết còn bao lâu</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>còn %1 giây</translation>
    </message>
    <message>
        <source>%1: %2 of %3 · %4</source>
        <translation>%1: %2 trên %3 · %4</translation>
    </message>
    <message>
        <source>Evaluation cancelled.</source>
        <translation>Đã hủy đánh giá.</translation>
    </message>
    <message>
        <source>Evaluated %1.</source>
        <translation>Đã đánh giá %1.</translation>
    </message>
    <message>
        <source>Every misread digit, the most confident first</source>
        <translation>Mọi chữ số bị đọc sai, chắc chắn nhất trước</translation>
    </message>
    <message>
        <source>None of the listed images could be used.</source>
        <translation>Không dùng được ảnh nào trong danh sách.</translation>
    </message>
    <message>
        <source>Accuracy %1 on %2 digits</source>
        <translation>Độ chính xác %1 trên %2 chữ số</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Not a digit: %1 of %2 refused (unsure or not a digit)</source>
        <translation>Không phải chữ số: từ chối %1 trong %2 ảnh (chưa chắc hoặc không phải chữ số)</translation>
    </message>
    <message>
        <source>Most common confusions: </source>
        <translation>Nhầm lẫn thường gặp nhất: </translation>
    </message>
    <message>
        <source>%1 read as %2 (%3)</source>
        <translation>%1 đọc thành %2 (%3)</translation>
    </message>
    <message numerus="yes">
        <source>%n images could not be used:</source>
        <translation>
            <numerusform>Không dùng được %n ảnh:</numerusform>
        </translation>
    </message>
    <message>
        <source>Not a digit, read as %1</source>
        <translation>Không phải chữ số, đọc thành %1</translation>
    </message>
    <message>
        <source>%1 read as %2</source>
        <translation>%1 đọc thành %2</translation>
    </message>
    <message>
        <source>Evaluate on a folder with labels.csv</source>
        <translation>Đánh giá trên một thư mục có labels.csv</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>5  update</source>
        <translation>5  cập nhật</translation>
    </message>
    <message>
        <source>the forward pass</source>
        <translation>bước forward</translation>
    </message>
    <message>
        <source>the loss</source>
        <translation>hàm mất mát (loss)</translation>
    </message>
    <message>
        <source>the update</source>
        <translation>bước cập nhật trọng số</translation>
    </message>
    <message>
        <source># the 32x32 drawing as a (1, 1, 32, 32) batch</source>
        <translation># hình vẽ 32x32 dưới dạng một batch (1, 1, 32, 32)</translation>
    </message>
    <message>
        <source># digit %1, one-hot</source>
        <translation># chữ số %1, dạng one-hot</translation>
    </message>
    <message>
        <source>P(digit %1): %2 -&gt; %3</source>
        <translation>P(chữ số %1): %2 -&gt; %3</translation>
    </message>
    <message>
        <source>Target digit</source>
        <translation>Chữ số đích</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Hàm mất mát</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tỷ lệ học</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Parameter shown</source>
        <translation>Tham số hiển thị</translation>
    </message>
    <message>
        <source>The digit the step teaches the network: the loss&apos;s target</source>
        <translation>Chữ số mà bước này dạy cho mạng: target của hàm mất mát</translation>
    </message>
    <message>
        <source>The parameter whose gradient and before/after values are shown</source>
        <translation>Tham số được hiển thị gradient và giá trị trước/sau khi cập nhật</translation>
    </message>
    <message>
        <source>Run %1 on the scratch copy</source>
        <translation>Chạy %1 trên bản sao nháp</translation>
    </message>
    <message>
        <source>Run all five</source>
        <translation>Chạy cả năm bước</translation>
    </message>
    <message>
        <source>zero_grad, forward, loss, backward and update in one go</source>
        <translation>zero_grad, forward, loss, backward và cập nhật trong một lần</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Throw the scratch copy away and start again from the active model</source>
        <translation>Bỏ bản sao nháp và bắt đầu lại từ mô hình đang dùng</translation>
    </message>
    <message>
        <source>Keep as active model</source>
        <translation>Giữ làm mô hình đang dùng</translation>
    </message>
    <message>
        <source>Make the scratch weights the model that predicts your drawings</source>
        <translation>Dùng trọng số của bản sao nháp làm mô hình nhận dạng hình vẽ của bạn</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mô hình</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Đồ thị</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>Gradient</translation>
    </message>
    <message>
        <source>name</source>
        <translation>tên</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>kích thước</translation>
    </message>
    <message>
        <source>count</source>
        <translation>số phần tử</translation>
    </message>
    <message>
        <source>As an image: one 5×5 square per kernel, a row per output map · red positive, blue negative</source>
        <translation>Dưới dạng ảnh: mỗi kernel một ô 5×5, mỗi feature map đầu ra một hàng · đỏ dương, xanh âm</translation>
    </message>
    <message>
        <source>The target or loss changed: the step starts again at zero_grad().</source>
        <translation>Chữ số đích hoặc hàm mất mát đã thay đổi: bước huấn luyện bắt đầu lại từ zero_grad().</translation>
    </message>
    <message>
        <source>A fresh scratch copy of &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>Một bản sao nháp mới của &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
    <message numerus="yes">
        <source>%n tensors, %1 numbers in all</source>
        <translation>
            <numerusform>%n tensor, tổng cộng %1 số</numerusform>
        </translation>
    </message>
    <message>
        <source>The drawing changed: the step starts again at zero_grad().</source>
        <translation>Hình vẽ đã thay đổi: bước huấn luyện bắt đầu lại từ zero_grad().</translation>
    </message>
    <message>
        <source>Every &lt;code&gt;.grad&lt;/code&gt; is cleared: &lt;code&gt;%1.grad&lt;/code&gt; is &lt;b&gt;None&lt;/b&gt;.</source>
        <translation>Mọi &lt;code&gt;.grad&lt;/code&gt; đã được xóa: &lt;code&gt;%1.grad&lt;/code&gt; là &lt;b&gt;None&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>The output carries &lt;code&gt;grad_fn&lt;/code&gt;; P(digit %1) = &lt;b&gt;%2&lt;/b&gt;.</source>
        <translation>Output mang theo &lt;code&gt;grad_fn&lt;/code&gt;; P(chữ số %1) = &lt;b&gt;%2&lt;/b&gt;.</translation>
    </message>
    <message numerus="yes">
        <source>loss = &lt;b&gt;%1&lt;/b&gt;; autograd recorded %n nodes for backward.</source>
        <translation>
            <numerusform>loss = &lt;b&gt;%1&lt;/b&gt;; autograd đã ghi lại %n nút cho backward.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n gradients filled; &lt;code&gt;%1.grad&lt;/code&gt; = %2</source>
        <translation>
            <numerusform>Đã tính %n gradient; &lt;code&gt;%1.grad&lt;/code&gt; = %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not save the model: %1</source>
        <translation>Không lưu được mô hình: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; is now the active model; this is a fresh scratch copy of it.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; giờ là mô hình đang dùng; đây là một bản sao nháp mới của nó.</translation>
    </message>
    <message numerus="yes">
        <source>Scratch copy of &lt;b&gt;%1&lt;/b&gt; · %n updates taken</source>
        <translation>
            <numerusform>Bản sao nháp của &lt;b&gt;%1&lt;/b&gt; · đã cập nhật %n lần</numerusform>
        </translation>
    </message>
    <message>
        <source>active model unchanged until you keep the result</source>
        <translation>mô hình đang dùng giữ nguyên cho đến khi bạn giữ kết quả</translation>
    </message>
    <message>
        <source>active model unchanged</source>
        <translation>mô hình đang dùng giữ nguyên</translation>
    </message>
    <message>
        <source>next: %1</source>
        <translation>tiếp theo: %1</translation>
    </message>
    <message>
        <source>draw a digit to inspect a training step on it</source>
        <translation>hãy vẽ một chữ số để xem từng giai đoạn của một bước huấn luyện trên nó</translation>
    </message>
    <message numerus="yes">
        <source>%n nodes</source>
        <translation>
            <numerusform>%n nút</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edges</source>
        <translation>
            <numerusform>%n cạnh</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, %2, read from loss.grad_fn and next_functions</source>
        <translation>%1, %2, đọc từ loss.grad_fn và next_functions</translation>
    </message>
</context>
<context>
    <name>KernelsPanel</name>
    <message>
        <source>conv1 kernels</source>
        <translation>Kernel của conv1</translation>
    </message>
    <message>
        <source>6 × 1×5×5 · red positive, blue negative</source>
        <translation>6 × 1×5×5 · đỏ dương, xanh âm</translation>
    </message>
    <message>
        <source>conv2 kernels</source>
        <translation>Kernel của conv2</translation>
    </message>
    <message>
        <source>16 × 6×5×5 · one row per output map, one column per input map</source>
        <translation>16 × 6×5×5 · mỗi feature map đầu ra một hàng, mỗi feature map đầu vào một cột</translation>
    </message>
    <message>
        <source>conv1 kernel %1 of 6</source>
        <translation>Kernel %1/6 của conv1</translation>
    </message>
    <message>
        <source>conv2 kernel: output map %1, input map %2</source>
        <translation>Kernel của conv2: feature map đầu ra %1, feature map đầu vào %2</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Cross-entropy (nn.CrossEntropyLoss)</source>
        <translation>Entropy chéo (nn.CrossEntropyLoss)</translation>
    </message>
    <message>
        <source>nn.MSELoss on a one-hot target, as the seed</source>
        <translation>nn.MSELoss với target one-hot, như bài hướng dẫn</translation>
    </message>
    <message>
        <source>By hand: f.data.sub_(f.grad.data * learning_rate)</source>
        <translation>Thủ công: f.data.sub_(f.grad.data * learning_rate)</translation>
    </message>
    <message>
        <source>My corrections</source>
        <translation>Các bản sửa của tôi</translation>
    </message>
    <message>
        <source>My corrections (personalise)</source>
        <translation>Bản sửa của tôi (cá nhân hóa)</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Không đổi</translation>
    </message>
    <message>
        <source>Step (x0.1 twice)</source>
        <translation>Bậc thang (x0,1 hai lần)</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Cosin</translation>
    </message>
    <message>
        <source>One-cycle</source>
        <translation>Một chu kỳ (one-cycle)</translation>
    </message>
    <message>
        <source>The active model</source>
        <translation>Mô hình đang dùng</translation>
    </message>
    <message>
        <source>Fresh random weights</source>
        <translation>Trọng số ngẫu nhiên mới</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Tỷ lệ học</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>Động lượng (momentum)</translation>
    </message>
    <message>
        <source>Alpha (smoothing)</source>
        <translation>Alpha (làm mượt)</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Suy giảm trọng số (weight decay)</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>hoàn tất</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>phân kỳ</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Cannot change the language</source>
        <translation>Không thể đổi ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;System default</source>
        <translation>Theo &amp;hệ thống</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <source>C1 · conv1 5×5 + ReLU</source>
        <translation>C1 · Lớp tích chập conv1 5×5 + ReLU</translation>
    </message>
    <message>
        <source>S2 · 2×2 max-pool</source>
        <translation>S2 · Lớp gộp max-pool 2×2</translation>
    </message>
    <message>
        <source>C3 · conv2 5×5 + ReLU</source>
        <translation>C3 · Lớp tích chập conv2 5×5 + ReLU</translation>
    </message>
    <message>
        <source>S4 · 2×2 max-pool</source>
        <translation>S4 · Lớp gộp max-pool 2×2</translation>
    </message>
    <message>
        <source>F5 · fc1 + ReLU</source>
        <translation>F5 · Lớp kết nối đầy đủ fc1 + ReLU</translation>
    </message>
    <message>
        <source>F6 · fc2 + ReLU</source>
        <translation>F6 · Lớp kết nối đầy đủ fc2 + ReLU</translation>
    </message>
    <message>
        <source>Output · fc3 logits</source>
        <translation>Lớp output đầu ra · logits của fc3</translation>
    </message>
    <message>
        <source>%1 · map %2 of %3</source>
        <translation>%1 · feature map %2/%3</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Open image…</source>
        <translation>&amp;Mở ảnh…</translation>
    </message>
    <message>
        <source>Open an image file as the drawing</source>
        <translation>Mở một tệp ảnh làm hình vẽ</translation>
    </message>
    <message>
        <source>&amp;Paste image</source>
        <translation>&amp;Dán ảnh</translation>
    </message>
    <message>
        <source>Use the image on the clipboard as the drawing</source>
        <translation>Dùng ảnh trong bộ nhớ tạm làm hình vẽ</translation>
    </message>
    <message>
        <source>&amp;Save drawing as PNG…</source>
        <translation>&amp;Lưu hình vẽ thành PNG…</translation>
    </message>
    <message>
        <source>Save the drawing as a PNG image</source>
        <translation>Lưu hình vẽ thành ảnh PNG</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>Quit LeNet Desktop</source>
        <translation>Thoát LeNet Desktop</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>Undo the last stroke</source>
        <translation>Hoàn tác nét vẽ cuối</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>Redo the stroke undone last</source>
        <translation>Làm lại nét vừa hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>&amp;Xóa hết</translation>
    </message>
    <message>
        <source>Clear the drawing</source>
        <translation>Xóa toàn bộ hình vẽ</translation>
    </message>
    <message>
        <source>&amp;Pen</source>
        <translation>&amp;Bút</translation>
    </message>
    <message>
        <source>Draw ink</source>
        <translation>Vẽ nét mực</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>&amp;Tẩy</translation>
    </message>
    <message>
        <source>Erase ink</source>
        <translation>Tẩy nét mực</translation>
    </message>
    <message>
        <source>&amp;Open weights…</source>
        <translation>&amp;Mở trọng số…</translation>
    </message>
    <message>
        <source>Use a weights file (.pt) as the model</source>
        <translation>Dùng một tệp trọng số (.pt) làm mô hình</translation>
    </message>
    <message>
        <source>&amp;Save weights as…</source>
        <translation>&amp;Lưu trọng số thành…</translation>
    </message>
    <message>
        <source>Save the current model&apos;s weights</source>
        <translation>Lưu trọng số của mô hình hiện tại</translation>
    </message>
    <message>
        <source>&amp;Back to shipped weights</source>
        <translation>&amp;Quay lại trọng số gốc</translation>
    </message>
    <message>
        <source>Use the weights that came with the app</source>
        <translation>Dùng trọng số đi kèm ứng dụng</translation>
    </message>
    <message>
        <source>&amp;Teach it my handwriting…</source>
        <translation>&amp;Dạy nó chữ viết tay của tôi…</translation>
    </message>
    <message>
        <source>Write each digit three times when asked, then personalise the model on them</source>
        <translation>Viết mỗi chữ số ba lần khi được yêu cầu, rồi cá nhân hóa mô hình trên các hình vẽ đó</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Mô hình</translation>
    </message>
    <message>
        <source>Show saliency</source>
        <translation>Hiện bản đồ saliency</translation>
    </message>
    <message>
        <source>Colour the input by how much each pixel pushes the top digit up (red) or down (blue)</source>
        <translation>Tô màu đầu vào theo mức mỗi pixel đẩy chữ số đứng đầu lên (đỏ) hoặc xuống (xanh)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Network input&lt;/b&gt; &lt;span style=&apos;color:#64748b&apos;&gt;32×32, as the network sees it&lt;/span&gt;</source>
        <translation>&lt;b&gt;Đầu vào của mạng&lt;/b&gt; &lt;span style=&apos;color:#64748b&apos;&gt;32×32, như mạng nhìn thấy&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Prediction&lt;/b&gt;</source>
        <translation>&lt;b&gt;Dự đoán&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Where the model runs; switching moves it there</source>
        <translation>Nơi mô hình chạy; đổi lựa chọn sẽ chuyển mô hình sang đó</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Đang nạp mô hình…</translation>
    </message>
    <message>
        <source>Loading</source>
        <translation>Đang nạp</translation>
    </message>
    <message>
        <source>The active model cannot be remembered for the next start: %1</source>
        <translation>Không ghi nhớ được mô hình đang dùng cho lần khởi động sau: %1</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>Dự đoán thất bại: %1</translation>
    </message>
    <message>
        <source>Inside the network</source>
        <translation>Bên trong mạng</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>Kernel</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Từng bước</translation>
    </message>
    <message>
        <source>The model is still loading: press the key again in a moment.</source>
        <translation>Mô hình vẫn đang được nạp: lát nữa hãy nhấn lại phím.</translation>
    </message>
    <message>
        <source>Nothing to use in what was dropped</source>
        <translation>Không có gì dùng được trong thứ vừa thả vào</translation>
    </message>
    <message>
        <source>Model &lt;b&gt;%1&lt;/b&gt; · MNIST accuracy unknown · running on %2</source>
        <translation>Mô hình &lt;b&gt;%1&lt;/b&gt; · chưa rõ độ chính xác MNIST · chạy trên %2</translation>
    </message>
    <message>
        <source>Model &lt;b&gt;%1&lt;/b&gt; · MNIST test accuracy %2 · running on %3</source>
        <translation>Mô hình &lt;b&gt;%1&lt;/b&gt; · độ chính xác trên tập test MNIST %2 · chạy trên %3</translation>
    </message>
</context>
<context>
    <name>MapDialog</name>
    <message>
        <source>%1 · values from %2 to %3</source>
        <translation>%1 · giá trị từ %2 đến %3</translation>
    </message>
</context>
<context>
    <name>MapGrid</name>
    <message>
        <source>draw a digit</source>
        <translation>hãy vẽ một chữ số</translation>
    </message>
</context>
<context>
    <name>MisreadGallery</name>
    <message>
        <source>label %1, answered: not a digit (likeliest %2, at %3)</source>
        <translation>nhãn %1, trả lời: không phải chữ số (gần nhất là %2, %3)</translation>
    </message>
    <message>
        <source>%1 (not a digit)</source>
        <translation>%1 (không phải chữ số)</translation>
    </message>
    <message>
        <source>label %1, read as %2 (%3)</source>
        <translation>nhãn %1, đọc thành %2 (%3)</translation>
    </message>
    <message>
        <source>answered: unsure</source>
        <translation>trả lời: chưa chắc</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Errors gallery</source>
        <translation>Bộ sưu tập lỗi</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n images · double-click one to open it on the canvas</source>
        <translation>
            <numerusform>%1 · %n ảnh · nhấp đúp vào một ảnh để mở nó trên khung vẽ</numerusform>
        </translation>
    </message>
    <message>
        <source>No image chosen.</source>
        <translation>Chưa chọn ảnh nào.</translation>
    </message>
</context>
<context>
    <name>ModelControls</name>
    <message>
        <source>Cannot use these weights</source>
        <translation>Không dùng được trọng số này</translation>
    </message>
    <message>
        <source>Cannot use the shipped weights</source>
        <translation>Không dùng được trọng số gốc</translation>
    </message>
    <message>
        <source>Cannot save the weights</source>
        <translation>Không lưu được trọng số</translation>
    </message>
    <message>
        <source>Saved the weights to %1</source>
        <translation>Đã lưu trọng số vào %1</translation>
    </message>
    <message>
        <source>Open weights</source>
        <translation>Mở trọng số</translation>
    </message>
    <message>
        <source>Save weights as</source>
        <translation>Lưu trọng số thành</translation>
    </message>
    <message>
        <source>Weights (*.pt *.pth);;All files (*)</source>
        <translation>Trọng số (*.pt *.pth);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Cannot use this device</source>
        <translation>Không dùng được thiết bị này</translation>
    </message>
    <message>
        <source>device &apos;%1&apos; is not available on this machine</source>
        <translation>thiết bị &apos;%1&apos; không có trên máy này</translation>
    </message>
</context>
<context>
    <name>ModelHistoryPanel</name>
    <message>
        <source>Make active</source>
        <translation>Dùng mô hình này</translation>
    </message>
    <message>
        <source>Predict with the chosen kept model from now on</source>
        <translation>Từ giờ dự đoán bằng mô hình đã chọn</translation>
    </message>
    <message>
        <source>The shipped model, then the models you kept after training, oldest first:</source>
        <translation>Mô hình gốc, rồi các mô hình bạn đã giữ sau khi huấn luyện, cũ nhất trước:</translation>
    </message>
    <message>
        <source>%1 · %2 · MNIST test accuracy not measured · version %4</source>
        <translation>%1 · %2 · chưa đo độ chính xác trên tập test MNIST · phiên bản %4</translation>
    </message>
    <message>
        <source>%1 · %2 · MNIST test %3 · version %4</source>
        <translation>%1 · %2 · tập test MNIST %3 · phiên bản %4</translation>
    </message>
    <message>
        <source>Cannot use it: %1</source>
        <translation>Không dùng được mô hình này: %1</translation>
    </message>
    <message>
        <source>Now predicting with %1.</source>
        <translation>Đang dự đoán bằng %1.</translation>
    </message>
</context>
<context>
    <name>NetworkInputView</name>
    <message>
        <source>lowers it</source>
        <translation>làm giảm</translation>
    </message>
    <message>
        <source>stronger: more influence</source>
        <translation>màu càng đậm: ảnh hưởng càng lớn</translation>
    </message>
    <message>
        <source>raises it</source>
        <translation>làm tăng</translation>
    </message>
    <message>
        <source>With saliency shown: red where more ink would raise the answer, blue where it would lower it; the stronger the colour, the more influence</source>
        <translation>Khi hiện bản đồ saliency: đỏ là nơi thêm nét sẽ làm tăng câu trả lời, xanh là nơi sẽ làm giảm nó; màu càng đậm, ảnh hưởng càng lớn</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>%1%</source>
        <translation>%1&#xa0;%</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
</context>
<context>
    <name>StartupModel</name>
    <message>
        <source>%1; using %2 instead</source>
        <translation>%1; dùng %2 thay thế</translation>
    </message>
    <message>
        <source>the last model could not be loaded (%1); using the shipped weights</source>
        <translation>không nạp được mô hình lần trước (%1); dùng trọng số gốc</translation>
    </message>
    <message>
        <source>Starting with the defaults</source>
        <translation>Bắt đầu với thiết lập mặc định</translation>
    </message>
</context>
<context>
    <name>StepUpdateView</name>
    <message>
        <source>index</source>
        <translation>chỉ số</translation>
    </message>
    <message>
        <source>before</source>
        <translation>trước</translation>
    </message>
    <message>
        <source>gradient</source>
        <translation>gradient</translation>
    </message>
    <message>
        <source>after</source>
        <translation>sau</translation>
    </message>
    <message>
        <source>change</source>
        <translation>thay đổi</translation>
    </message>
    <message>
        <source>digit</source>
        <translation>chữ số</translation>
    </message>
    <message>
        <source>&lt;b&gt;Probabilities for the drawing&lt;/b&gt;</source>
        <translation>&lt;b&gt;Xác suất cho hình vẽ&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Press 5 (update) after backward() to apply the gradients.</source>
        <translation>Nhấn 5 (cập nhật) sau backward() để áp dụng các gradient.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;, its first %2 of %3 values</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;, %2 giá trị đầu tiên trong %3 giá trị</translation>
    </message>
    <message>
        <source>The step diverged: weights or probabilities are no longer numbers. Reset and use a smaller learning rate.</source>
        <translation>Bước huấn luyện đã phân kỳ: trọng số hoặc xác suất không còn là số. Hãy đặt lại và dùng tỷ lệ học nhỏ hơn.</translation>
    </message>
    <message>
        <source>P(digit %1): %2 → &lt;b style=&apos;color:%3&apos;&gt;%4&lt;/b&gt; (%5) · now predicts %6 · largest weight change %7</source>
        <translation>P(chữ số %1): %2 → &lt;b style=&apos;color:%3&apos;&gt;%4&lt;/b&gt; (%5) · giờ dự đoán %6 · thay đổi trọng số lớn nhất %7</translation>
    </message>
</context>
<context>
    <name>TrainingOptions</name>
    <message>
        <source>Automatic</source>
        <translation>Tự động</translation>
    </message>
    <message>
        <source>To teach the active model your handwriting, choose My corrections (personalise): a measured recipe (MNIST replay, distillation, the step chosen so that no MNIST digit falls past its limit) picks the other settings</source>
        <translation>Để dạy mô hình đang dùng nét chữ của bạn, hãy chọn Bản sửa của tôi (cá nhân hóa): một công thức đã được đo đạc (ôn lại MNIST, chưng cất, bước học được chọn sao cho không chữ số MNIST nào giảm quá giới hạn) sẽ tự chọn các thiết lập còn lại</translation>
    </message>
    <message>
        <source>MNIST images mixed into every epoch so the model does not forget MNIST</source>
        <translation>Số ảnh MNIST trộn vào mỗi epoch để mô hình không quên MNIST</translation>
    </message>
    <message>
        <source>The share of each epoch&apos;s images that are your corrections (repeated to reach it)</source>
        <translation>Tỉ lệ ảnh trong mỗi epoch là các chỉnh sửa của bạn (lặp lại cho đủ tỉ lệ)</translation>
    </message>
    <message>
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <source>Stop each epoch after this many batches, for a quick try</source>
        <translation>Dừng mỗi epoch sau chừng này batch, để thử nhanh</translation>
    </message>
    <message>
        <source>Augment (rotate, scale, shear, shift, stroke width)</source>
        <translation>Tăng cường dữ liệu (xoay, co giãn, xô nghiêng, dịch, độ dày nét)</translation>
    </message>
    <message numerus="yes">
        <source>The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epochs in batches of %3, augmented, starting from the active model; it keeps the step at which no MNIST digit has fallen past its limit.</source>
        <translation>
            <numerusform>Công thức cá nhân hóa tự chọn các thiết lập còn lại: %1 với tỷ lệ học %2, tối đa %n epoch, batch %3 ảnh, có tăng cường dữ liệu, bắt đầu từ mô hình đang dùng; nó giữ bước học mà ở đó chưa chữ số MNIST nào giảm quá giới hạn.</numerusform>
        </translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dữ liệu</translation>
    </message>
    <message>
        <source>MNIST replay per epoch</source>
        <translation>Ảnh MNIST ôn lại mỗi epoch</translation>
    </message>
    <message>
        <source>Corrections share per epoch</source>
        <translation>Tỉ lệ chỉnh sửa mỗi epoch</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Optimizer</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>Lịch tỷ lệ học</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Hàm mất mát</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Số epoch</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Kích thước batch</translation>
    </message>
    <message>
        <source>Batches per epoch</source>
        <translation>Số batch mỗi epoch</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Giá trị seed</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>Bắt đầu từ</translation>
    </message>
    <message>
        <source>Train on</source>
        <translation>Huấn luyện trên</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>So sánh</translation>
    </message>
    <message>
        <source>What to train</source>
        <translation>Huấn luyện những gì</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Nothing was measured, so there is nothing to keep: the active model is unchanged.</source>
        <translation>Chưa đo được gì nên không có gì để giữ: mô hình đang dùng không đổi.</translation>
    </message>
    <message>
        <source>MNIST train</source>
        <translation>tập huấn luyện MNIST</translation>
    </message>
    <message>
        <source>%1 corrections × %2 + %3 MNIST replay = %4 images per epoch (%5 corrections)</source>
        <translation>%1 bản sửa × %2 + %3 ảnh MNIST ôn lại = %4 ảnh mỗi epoch (bản sửa chiếm %5)</translation>
    </message>
    <message>
        <source>Choose what to train, then press Train.</source>
        <translation>Chọn những gì cần huấn luyện, rồi nhấn Huấn luyện.</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Huấn luyện</translation>
    </message>
    <message>
        <source>Compare optimizers</source>
        <translation>So sánh các optimizer</translation>
    </message>
    <message>
        <source>Train each ticked optimizer with its default settings, the same seed and data, one after another</source>
        <translation>Lần lượt huấn luyện từng optimizer được đánh dấu với thiết lập mặc định của nó, cùng seed và dữ liệu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Teach it my handwriting…</source>
        <translation>Dạy nó chữ viết tay của tôi…</translation>
    </message>
    <message>
        <source>Write each digit three times when asked, then personalise the active model on them</source>
        <translation>Viết mỗi chữ số ba lần khi được yêu cầu, rồi cá nhân hóa mô hình đang dùng trên các hình vẽ đó</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>Hàm mất mát khi huấn luyện</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>epoch</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>loss</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Độ chính xác</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>độ chính xác</translation>
    </message>
    <message>
        <source>%1 train</source>
        <translation>%1 huấn luyện</translation>
    </message>
    <message>
        <source>%1 MNIST test</source>
        <translation>%1 test MNIST</translation>
    </message>
    <message numerus="yes">
        <source>trained %n epochs</source>
        <translation>
            <numerusform>đã huấn luyện %n epoch</numerusform>
        </translation>
    </message>
    <message>
        <source>cancelled in epoch %1, batch %2</source>
        <translation>đã hủy ở epoch %1, batch %2</translation>
    </message>
    <message>
        <source>cancelled while measuring</source>
        <translation>đã hủy trong lúc đo</translation>
    </message>
    <message>
        <source>stopped: the weights grew past ±%1 in epoch %2, batch %3; the weights before that step were kept (try a smaller learning rate)</source>
        <translation>đã dừng: trọng số vượt quá ±%1 ở epoch %2, batch %3; đã giữ trọng số trước bước đó (hãy thử tỷ lệ học nhỏ hơn)</translation>
    </message>
    <message>
        <source>stopped: the loss became %1 in epoch %2, batch %3; the weights of the last finite step were kept (try a smaller learning rate)</source>
        <translation>đã dừng: loss thành %1 ở epoch %2, batch %3; đã giữ trọng số của bước hữu hạn cuối cùng (hãy thử tỷ lệ học nhỏ hơn)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Tick at least two optimizers to compare.</source>
        <translation>Hãy đánh dấu ít nhất hai optimizer để so sánh.</translation>
    </message>
    <message>
        <source>Cancelling: the run stops after the current batch…</source>
        <translation>Đang hủy: lần huấn luyện dừng sau batch hiện tại…</translation>
    </message>
    <message>
        <source>There are no corrections to train on yet: draw a digit and press its key (0-9).</source>
        <translation>Chưa có bản sửa nào để huấn luyện: hãy vẽ một chữ số rồi nhấn phím của nó (0-9).</translation>
    </message>
    <message>
        <source>Training with %1 on %2… (loading data)</source>
        <translation>Đang huấn luyện với %1 trên %2… (đang nạp dữ liệu)</translation>
    </message>
    <message>
        <source>%1: epoch %2/%3, batch %4/%5, loss %6 · %7 images/s · %8 left</source>
        <translation>%1: epoch %2/%3, batch %4/%5, loss %6 · %7 ảnh/giây · còn %8</translation>
    </message>
    <message>
        <source>%1: %2 (%3 images/s)</source>
        <translation>%1: %2 (%3 ảnh/giây)</translation>
    </message>
    <message>
        <source>Trained on %1.</source>
        <translation>Đã huấn luyện trên %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n flagged correction(s) not trained on: confirm or fix them in the Corrections tab.</source>
        <translation>
            <numerusform>%n bản sửa bị đánh dấu chưa được dùng để huấn luyện: hãy xác nhận hoặc sửa chúng trong thẻ Bản sửa.</numerusform>
        </translation>
    </message>
    <message>
        <source>After the run, MNIST test: %1 read as %2</source>
        <translation>Sau lần huấn luyện, test MNIST: %1 đọc thành %2</translation>
    </message>
    <message>
        <source>After the run, MNIST test: misread %1</source>
        <translation>Sau lần huấn luyện, test MNIST: %1 bị đọc sai</translation>
    </message>
    <message>
        <source>Keep this model?</source>
        <translation>Giữ mô hình này?</translation>
    </message>
    <message>
        <source>On MNIST, {digits} fell by more than 1 point. Keep the new model anyway?</source>
        <translation>Trên MNIST, {digits} bị giảm hơn 1 điểm. Vẫn giữ mô hình mới?</translation>
    </message>
    <message>
        <source>Not kept; the active model is unchanged.</source>
        <translation>Chưa giữ; mô hình đang dùng giữ nguyên.</translation>
    </message>
    <message>
        <source>Could not save the model: %1</source>
        <translation>Không lưu được mô hình: %1</translation>
    </message>
    <message>
        <source>Kept %1: it is now the active model (saved as %2).</source>
        <translation>Đã giữ %1: giờ nó là mô hình đang dùng (lưu thành %2).</translation>
    </message>
    <message>
        <source>Discarded; the active model is unchanged.</source>
        <translation>Đã bỏ; mô hình đang dùng giữ nguyên.</translation>
    </message>
    <message>
        <source>Keep the trained model?</source>
        <translation>Giữ mô hình vừa huấn luyện?</translation>
    </message>
    <message>
        <source>The model of the last training run is neither kept nor discarded.</source>
        <translation>Mô hình của lần huấn luyện vừa rồi chưa được giữ cũng chưa bị bỏ.</translation>
    </message>
    <message>
        <source>Keep and quit</source>
        <translation>Giữ và thoát</translation>
    </message>
    <message>
        <source>Quit without keeping</source>
        <translation>Thoát không giữ</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 phút %2 giây</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 giây</translation>
    </message>
    <message>
        <source>Corrections</source>
        <translation>Bản sửa</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Huấn luyện</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Mô hình</translation>
    </message>
</context>
<context>
    <name>TrainingResults</name>
    <message>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <source>MNIST test</source>
        <translation>Test MNIST</translation>
    </message>
    <message>
        <source>Held-out corrections</source>
        <translation>Bản sửa giữ lại để kiểm tra</translation>
    </message>
    <message>
        <source>After the run, MNIST test: rows are the true digit, columns the answer; the tooltip gives the count before</source>
        <translation>Sau lần huấn luyện, trên tập test MNIST: hàng là chữ số đúng, cột là câu trả lời; chú thích cho biết số lượng trước đó</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Giữ</translation>
    </message>
    <message>
        <source>Make the new model active and save it into the model history</source>
        <translation>Dùng mô hình mới và lưu nó vào lịch sử mô hình</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Result of</source>
        <translation>Kết quả của</translation>
    </message>
    <message>
        <source>Confusion matrix after the run (MNIST test; rows: true digit, columns: answer)</source>
        <translation>Ma trận nhầm lẫn sau lần huấn luyện (test MNIST; hàng: chữ số đúng, cột: câu trả lời)</translation>
    </message>
    <message>
        <source>Before and after</source>
        <translation>Trước và sau</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 trên %2</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>chưa đo</translation>
    </message>
    <message>
        <source>{digits}: {before} → {after}, {count} now read as {answer}</source>
        <translation>{digits}: {before} → {after}, {count} ảnh giờ bị đọc thành {answer}</translation>
    </message>
    <message>
        <source>MNIST digits that fell by more than 0.5 points (click one to see its misread images):</source>
        <translation>Các chữ số MNIST bị giảm hơn 0,5 điểm (nhấp vào một dòng để xem các ảnh bị đọc sai):</translation>
    </message>
    <message>
        <source>No MNIST digit fell by more than 0.5 points.</source>
        <translation>Không chữ số MNIST nào bị giảm hơn 0,5 điểm.</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>các số 0</translation>
    </message>
    <message>
        <source>ones</source>
        <translation>các số 1</translation>
    </message>
    <message>
        <source>twos</source>
        <translation>các số 2</translation>
    </message>
    <message>
        <source>threes</source>
        <translation>các số 3</translation>
    </message>
    <message>
        <source>fours</source>
        <translation>các số 4</translation>
    </message>
    <message>
        <source>fives</source>
        <translation>các số 5</translation>
    </message>
    <message>
        <source>sixes</source>
        <translation>các số 6</translation>
    </message>
    <message>
        <source>sevens</source>
        <translation>các số 7</translation>
    </message>
    <message>
        <source>eights</source>
        <translation>các số 8</translation>
    </message>
    <message>
        <source>nines</source>
        <translation>các số 9</translation>
    </message>
</context>
<context>
    <name>ViewMenu</name>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>{record}: the record of the active model cannot be read ({reason})</source>
        <translation>{record}: không đọc được bản ghi mô hình đang dùng ({reason})</translation>
    </message>
    <message>
        <source>{record}: this is not a record of the active model</source>
        <translation>{record}: đây không phải bản ghi mô hình đang dùng</translation>
    </message>
    <message>
        <source>export</source>
        <translation>xuất</translation>
    </message>
    <message>
        <source>{path}: is a folder</source>
        <translation>{path}: là một thư mục</translation>
    </message>
    <message>
        <source>{path}: no such file</source>
        <translation>{path}: không có tệp này</translation>
    </message>
    <message>
        <source>{path}: not a regular file (a pipe, a device or a socket)</source>
        <translation>{path}: không phải tệp thông thường (một đường ống, thiết bị hoặc socket)</translation>
    </message>
    <message>
        <source>{path}: these are the shipped weights, never overwritten: choose another file</source>
        <translation>{path}: đây là trọng số đi kèm, không bao giờ bị ghi đè: hãy chọn tệp khác</translation>
    </message>
    <message>
        <source>{name}: not usable weights ({reason})</source>
        <translation>{name}: không phải trọng số dùng được ({reason})</translation>
    </message>
    <message>
        <source>{name}: weights of another architecture, not the LeNet this app uses</source>
        <translation>{name}: trọng số của một kiến trúc khác, không phải LeNet mà ứng dụng này dùng</translation>
    </message>
    <message>
        <source>{name}: &apos;{key}&apos; is not a plain tensor (sparse, quantised or another layout)</source>
        <translation>{name}: &apos;{key}&apos; không phải tensor thường (thưa, lượng tử hoá hoặc bố cục khác)</translation>
    </message>
    <message>
        <source>{name}: &apos;{key}&apos; holds no values (a {device} tensor)</source>
        <translation>{name}: &apos;{key}&apos; không chứa giá trị nào (một tensor {device})</translation>
    </message>
    <message>
        <source>{name}: &apos;{key}&apos; is not a tensor of real numbers</source>
        <translation>{name}: &apos;{key}&apos; không phải tensor số thực</translation>
    </message>
    <message>
        <source>{name}: weights of another architecture: &apos;{key}&apos; is {shape}, this LeNet&apos;s is {expected}</source>
        <translation>{name}: trọng số của một kiến trúc khác: &apos;{key}&apos; có kích thước {shape}, của LeNet này là {expected}</translation>
    </message>
    <message>
        <source>{name}: &apos;{key}&apos; holds NaN or infinite values (as 32-bit floats)</source>
        <translation>{name}: &apos;{key}&apos; chứa giá trị NaN hoặc vô cực (dạng số thực 32 bit)</translation>
    </message>
    <message>
        <source>{name}: &apos;{key}&apos; holds values beyond ±{limit:g}, not weights of a trained LeNet</source>
        <translation>{name}: &apos;{key}&apos; chứa giá trị vượt quá ±{limit:g}, không phải trọng số của một LeNet đã huấn luyện</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: {reason}</source>
        <translation>{name}: không đọc được tệp trọng số: {reason}</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: the file is empty</source>
        <translation>{name}: không đọc được tệp trọng số: tệp rỗng</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: {megabytes:.0f} MB is far too large for LeNet weights</source>
        <translation>{name}: không đọc được tệp trọng số: {megabytes:.0f} MB là quá lớn đối với trọng số LeNet</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: it is not a file saved by PyTorch</source>
        <translation>{name}: không đọc được tệp trọng số: đây không phải tệp do PyTorch lưu</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: refused, it holds Python objects other than weights and loading them could run code</source>
        <translation>{name}: không đọc được tệp trọng số: bị từ chối, tệp chứa các đối tượng Python ngoài trọng số và nạp chúng có thể chạy mã</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: it is damaged ({reason})</source>
        <translation>{name}: không đọc được tệp trọng số: tệp bị hỏng ({reason})</translation>
    </message>
    <message>
        <source>{name}: not a readable weights file: it is damaged or cut short ({reason})</source>
        <translation>{name}: không đọc được tệp trọng số: tệp bị hỏng hoặc bị cắt cụt ({reason})</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged</source>
        <translation>{name}: siêu dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (over {limit} characters)</source>
        <translation>{name}: siêu dữ liệu bị hỏng (quá {limit} ký tự)</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (nested over {limit} levels deep)</source>
        <translation>{name}: siêu dữ liệu bị hỏng (lồng sâu quá {limit} cấp)</translation>
    </message>
    <message>
        <source>{name}: damaged LeNet Desktop checkpoint</source>
        <translation>{name}: checkpoint LeNet Desktop bị hỏng</translation>
    </message>
    <message>
        <source>{name}: not a LeNet weights file</source>
        <translation>{name}: không phải tệp trọng số LeNet</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (&apos;{key}&apos; is not text)</source>
        <translation>{name}: siêu dữ liệu bị hỏng (&apos;{key}&apos; không phải văn bản)</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (&apos;{key}&apos; is not a number from 0 to 1)</source>
        <translation>{name}: siêu dữ liệu bị hỏng (&apos;{key}&apos; không phải một số từ 0 đến 1)</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (&apos;not_a_digit_score&apos; is not one of {scores})</source>
        <translation>{name}: siêu dữ liệu bị hỏng (&apos;not_a_digit_score&apos; không thuộc {scores})</translation>
    </message>
    <message>
        <source>{name}: its metadata is damaged (&apos;not_a_digit_below&apos; is not a number)</source>
        <translation>{name}: siêu dữ liệu bị hỏng (&apos;not_a_digit_below&apos; không phải một số)</translation>
    </message>
    <message>
        <source>{name}: its normalisation statistics are damaged</source>
        <translation>{name}: thống kê chuẩn hoá bị hỏng</translation>
    </message>
    <message>
        <source>{name}: its normalisation statistics are invalid</source>
        <translation>{name}: thống kê chuẩn hoá không hợp lệ</translation>
    </message>
    <message>
        <source>MNIST {split} not found: put {files} in {folder}</source>
        <translation>Không tìm thấy MNIST {split}: hãy đặt {files} vào {folder}</translation>
    </message>
    <message>
        <source>{files} not in {folder} and could not be downloaded ({reason}); put them there</source>
        <translation>Không có {files} trong {folder} và không tải xuống được ({reason}); hãy đặt chúng vào đó</translation>
    </message>
    <message>
        <source>MNIST files in {folder} are damaged ({reason})</source>
        <translation>Các tệp MNIST trong {folder} bị hỏng ({reason})</translation>
    </message>
    <message>
        <source>MNIST files in {folder} do not hold matching 28x28 images and labels</source>
        <translation>Các tệp MNIST trong {folder} không chứa ảnh 28x28 và nhãn khớp nhau</translation>
    </message>
    <message>
        <source>{path}: holds {shape} images, MNIST&apos;s are 28x28</source>
        <translation>{path}: chứa ảnh {shape}, ảnh MNIST là 28x28</translation>
    </message>
    <message>
        <source>{images_path} holds {images} images but {labels_path} holds {labels} labels</source>
        <translation>{images_path} chứa {images} ảnh nhưng {labels_path} chứa {labels} nhãn</translation>
    </message>
    <message>
        <source>{path}: cannot be read ({reason})</source>
        <translation>{path}: không đọc được ({reason})</translation>
    </message>
    <message>
        <source>{path}: not an MNIST {kind} file (magic number {found:#010x}, expected {magic:#010x})</source>
        <translation>{path}: không phải tệp {kind} của MNIST (số magic {found:#010x}, cần {magic:#010x})</translation>
    </message>
    <message>
        <source>{path}: cut short ({size} bytes, less than an IDX header)</source>
        <translation>{path}: bị cắt cụt ({size} byte, ít hơn một phần đầu IDX)</translation>
    </message>
    <message>
        <source>{path}: cut short ({size} bytes, its header promises {expected})</source>
        <translation>{path}: bị cắt cụt ({size} byte, phần đầu của nó hứa {expected})</translation>
    </message>
    <message>
        <source>{path}: longer than its header says ({size} bytes, its header promises {expected})</source>
        <translation>{path}: dài hơn phần đầu của nó ghi ({size} byte, phần đầu hứa {expected})</translation>
    </message>
    <message>
        <source>unknown device &apos;{spec}&apos;: use auto, cpu, cuda, cuda:N or mps</source>
        <translation>không biết thiết bị &apos;{spec}&apos;: hãy dùng auto, cpu, cuda, cuda:N hoặc mps</translation>
    </message>
    <message>
        <source>device &apos;{spec}&apos; asked for, but CUDA is not available on this machine</source>
        <translation>đã yêu cầu thiết bị &apos;{spec}&apos;, nhưng máy này không có CUDA</translation>
    </message>
    <message>
        <source>device &apos;{spec}&apos; asked for, but this machine has {count} CUDA device(s)</source>
        <translation>đã yêu cầu thiết bị &apos;{spec}&apos;, nhưng máy này có {count} thiết bị CUDA</translation>
    </message>
    <message>
        <source>device &apos;mps&apos; asked for, but Apple MPS is not available on this machine</source>
        <translation>đã yêu cầu thiết bị &apos;mps&apos;, nhưng máy này không có Apple MPS</translation>
    </message>
    <message>
        <source>unsupported device &apos;{spec}&apos;: use auto, cpu, cuda, cuda:N or mps</source>
        <translation>không hỗ trợ thiết bị &apos;{spec}&apos;: hãy dùng auto, cpu, cuda, cuda:N hoặc mps</translation>
    </message>
    <message>
        <source>{folder}: not a folder</source>
        <translation>{folder}: không phải thư mục</translation>
    </message>
    <message>
        <source>{folder}: no such folder</source>
        <translation>{folder}: không có thư mục này</translation>
    </message>
    <message>
        <source>{folder}: no {listing} here (it lists file,label per image)</source>
        <translation>{folder}: không có {listing} ở đây (tệp này liệt kê file,label cho mỗi ảnh)</translation>
    </message>
    <message>
        <source>{listing} line {line}: needs a file name and a label</source>
        <translation>{listing} dòng {line}: cần tên tệp và nhãn</translation>
    </message>
    <message>
        <source>{listing} line {line}: {file}: the label {label} is not one digit 0-9 (a word marks an image to refuse)</source>
        <translation>{listing} dòng {line}: {file}: nhãn {label} không phải một chữ số 0-9 (một từ đánh dấu ảnh cần từ chối)</translation>
    </message>
    <message>
        <source>{listing} line {line}: {reason}</source>
        <translation>{listing} dòng {line}: {reason}</translation>
    </message>
    <message>
        <source>{listing} line {line}: {file}: {reason}</source>
        <translation>{listing} dòng {line}: {file}: {reason}</translation>
    </message>
    <message>
        <source>{listing} line {line}: {file}: no ink in this image</source>
        <translation>{listing} dòng {line}: {file}: ảnh này không có nét mực nào</translation>
    </message>
    <message>
        <source>{listing}: not a readable UTF-8 CSV file ({reason})</source>
        <translation>{listing}: không phải tệp CSV UTF-8 đọc được ({reason})</translation>
    </message>
    <message>
        <source>{listing}: cannot be read ({reason})</source>
        <translation>{listing}: không đọc được ({reason})</translation>
    </message>
    <message>
        <source>{listing}: lists no images (it needs a header file,label and a row per image)</source>
        <translation>{listing}: không liệt kê ảnh nào (cần dòng tiêu đề file,label và mỗi ảnh một dòng)</translation>
    </message>
    <message>
        <source>{listing}: needs the columns file and label</source>
        <translation>{listing}: cần các cột file và label</translation>
    </message>
    <message>
        <source>{path}: is a folder, not an image</source>
        <translation>{path}: là một thư mục, không phải ảnh</translation>
    </message>
    <message>
        <source>{path}: not a file</source>
        <translation>{path}: không phải tệp</translation>
    </message>
    <message>
        <source>{name}: the image is empty ({width}x{height})</source>
        <translation>{name}: ảnh rỗng ({width}x{height})</translation>
    </message>
    <message>
        <source>{name}: {width}x{height} is too large ({megapixels:.0f} MP, the limit is {limit:.0f} MP)</source>
        <translation>{name}: {width}x{height} là quá lớn ({megapixels:.0f} MP, giới hạn là {limit:.0f} MP)</translation>
    </message>
    <message>
        <source>{name}: the image is too large (the limit is {limit:.0f} MP)</source>
        <translation>{name}: ảnh quá lớn (giới hạn là {limit:.0f} MP)</translation>
    </message>
    <message>
        <source>{name}: not an image this app can read</source>
        <translation>{name}: không phải ảnh mà ứng dụng này đọc được</translation>
    </message>
    <message>
        <source>{name}: not allowed to read this file</source>
        <translation>{name}: không được phép đọc tệp này</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
    <message>
        <source>{name}: the image is damaged ({reason})</source>
        <translation>{name}: ảnh bị hỏng ({reason})</translation>
    </message>
    <message>
        <source>colour mode {mode} is not supported</source>
        <translation>không hỗ trợ chế độ màu {mode}</translation>
    </message>
    <message>
        <source>the scratch weights are no longer finite numbers; reset it and use a smaller learning rate</source>
        <translation>trọng số của bản sao nháp không còn là số hữu hạn; hãy đặt lại và dùng tỷ lệ học nhỏ hơn</translation>
    </message>
    <message>
        <source>the scratch weights grew past ±{limit:g}, beyond what a weights file may hold; reset it and use a smaller learning rate</source>
        <translation>trọng số của bản sao nháp đã vượt quá ±{limit:g}, lớn hơn mức một tệp trọng số được phép chứa; hãy đặt lại và dùng tỷ lệ học nhỏ hơn</translation>
    </message>
    <message>
        <source>run {stage} first</source>
        <translation>hãy chạy {stage} trước</translation>
    </message>
    <message>
        <source>there are no corrections to train on yet: draw a digit and press its key</source>
        <translation>chưa có bản sửa nào để huấn luyện: hãy vẽ một chữ số và nhấn phím của nó</translation>
    </message>
    <message>
        <source>the corrections&apos; share must be between 0 and 1, not {share}</source>
        <translation>tỷ lệ bản sửa phải nằm giữa 0 và 1, không phải {share}</translation>
    </message>
    <message>
        <source>{folder}: cannot be created ({reason})</source>
        <translation>{folder}: không tạo được ({reason})</translation>
    </message>
    <message>
        <source>{folder}: read-only, so corrections cannot be saved there</source>
        <translation>{folder}: chỉ đọc, nên không lưu được bản sửa vào đó</translation>
    </message>
    <message>
        <source>{path}: not a usable corrections database ({reason})</source>
        <translation>{path}: không phải cơ sở dữ liệu bản sửa dùng được ({reason})</translation>
    </message>
    <message>
        <source>{path} is read-only and cannot be upgraded from schema {old} to {new}: its corrections are read as they are, but new ones cannot be saved</source>
        <translation>{path} chỉ đọc và không nâng cấp được từ lược đồ {old} lên {new}: các bản sửa trong đó được đọc nguyên trạng, nhưng không lưu được bản sửa mới</translation>
    </message>
    <message>
        <source>{path} is read-only: its corrections are read as they are, but new ones cannot be saved</source>
        <translation>{path} chỉ đọc: các bản sửa trong đó được đọc nguyên trạng, nhưng không lưu được bản sửa mới</translation>
    </message>
    <message>
        <source>{path}: damaged, and cannot be recovered here ({reason})</source>
        <translation>{path}: bị hỏng và không khôi phục được ở đây ({reason})</translation>
    </message>
    <message>
        <source>{path}: made by a newer LeNet Desktop (schema {version}); update the app</source>
        <translation>{path}: được tạo bởi một phiên bản LeNet Desktop mới hơn (lược đồ {version}); hãy cập nhật ứng dụng</translation>
    </message>
    <message>
        <source>there is no digit in this drawing to save</source>
        <translation>hình vẽ này không có chữ số nào để lưu</translation>
    </message>
    <message>
        <source>a digit&apos;s box {box} lies outside the {width}x{height} drawing</source>
        <translation>khung {box} của một chữ số nằm ngoài hình vẽ {width}x{height}</translation>
    </message>
    <message>
        <source>a frame must be {size}x{size}, not {shape}</source>
        <translation>một khung phải là {size}x{size}, không phải {shape}</translation>
    </message>
    <message>
        <source>{name}: not saved (read-only)</source>
        <translation>{name}: chưa lưu (chỉ đọc)</translation>
    </message>
    <message>
        <source>{name}: not saved ({reason})</source>
        <translation>{name}: chưa lưu ({reason})</translation>
    </message>
    <message>
        <source>there is no correction #{id}</source>
        <translation>không có bản sửa #{id}</translation>
    </message>
    <message>
        <source>correction #{id} is damaged</source>
        <translation>bản sửa #{id} bị hỏng</translation>
    </message>
    <message>
        <source>{folder}: not a folder; export into a new or empty folder</source>
        <translation>{folder}: không phải thư mục; hãy xuất vào một thư mục mới hoặc trống</translation>
    </message>
    <message>
        <source>{folder}: not empty; export into a new or empty folder</source>
        <translation>{folder}: không trống; hãy xuất vào một thư mục mới hoặc trống</translation>
    </message>
    <message>
        <source>{folder}: not exported ({reason}); no part of it was left</source>
        <translation>{folder}: chưa xuất được ({reason}); không phần nào được để lại</translation>
    </message>
    <message>
        <source>{listing} line {line}: {file}: no digit in this image</source>
        <translation>{listing} dòng {line}: {file}: ảnh này không có chữ số nào</translation>
    </message>
    <message>
        <source>{listing}: {file}: {reason}; its digits were read on their own</source>
        <translation>{listing}: {file}: {reason}; các chữ số của nó được đọc riêng từng chữ số</translation>
    </message>
    <message>
        <source>the model&apos;s answer must be a digit 0-9, not {answer}</source>
        <translation>câu trả lời của mô hình phải là một chữ số 0-9, không phải {answer}</translation>
    </message>
    <message>
        <source>{listing} line {line}: its box lies outside {file}</source>
        <translation>{listing} dòng {line}: khung của nó nằm ngoài {file}</translation>
    </message>
    <message>
        <source>{listing} line {line}: {file}: no digit in its box</source>
        <translation>{listing} dòng {line}: {file}: không có chữ số nào trong khung của nó</translation>
    </message>
    <message>
        <source>{listing}: {file}: {reason}</source>
        <translation>{listing}: {file}: {reason}</translation>
    </message>
    <message>
        <source>a label must be a digit 0-9, not {label}</source>
        <translation>nhãn phải là một chữ số 0-9, không phải {label}</translation>
    </message>
    <message>
        <source>{name} was damaged: 1 correction could still be read and was kept; the damaged file was copied to {copy}</source>
        <translation>{name} đã bị hỏng: vẫn đọc được 1 bản sửa và đã giữ lại; tệp hỏng đã được sao chép sang {copy}</translation>
    </message>
    <message>
        <source>{name} was damaged: {count} corrections could still be read and were kept; the damaged file was copied to {copy}</source>
        <translation>{name} đã bị hỏng: vẫn đọc được {count} bản sửa và đã giữ lại; tệp hỏng đã được sao chép sang {copy}</translation>
    </message>
    <message>
        <source>{name}: outside the imported folder, not read</source>
        <translation>{name}: nằm ngoài thư mục được nhập, không đọc</translation>
    </message>
    <message>
        <source>{name}: not a regular file, not read</source>
        <translation>{name}: không phải tệp thường, không đọc</translation>
    </message>
    <message>
        <source>every correction is flagged as a suspicious label: confirm or fix them in the Corrections tab</source>
        <translation>mọi bản sửa đều bị đánh dấu là nhãn đáng ngờ: hãy xác nhận hoặc sửa chúng trong thẻ Bản sửa</translation>
    </message>
    <message>
        <source>import</source>
        <translation>nhập</translation>
    </message>
    <message>
        <source>evaluation</source>
        <translation>đánh giá</translation>
    </message>
    <message>
        <source>training</source>
        <translation>huấn luyện</translation>
    </message>
    <message>
        <source>{job} failed: {kind}: {reason}</source>
        <translation>{job} thất bại: {kind}: {reason}</translation>
    </message>
    <message>
        <source>reading the answers</source>
        <translation>đọc các câu trả lời</translation>
    </message>
    <message>
        <source>{file} was replaced since it was listed: it now holds {name} (version {version})</source>
        <translation>{file} đã bị thay thế kể từ khi được liệt kê: giờ nó chứa {name} (phiên bản {version})</translation>
    </message>
</context>
</TS>
